#!/usr/bin/env node
// Attaches a sigstore bundle to an image as an OCI 1.1 referrer with real
// sigstore-js code: @sigstore/oci's attachArtifactToImage. It pushes the
// bundle blob, the empty config ({} as application/vnd.oci.empty.v1+json) and
// a manifest with artifactType application/vnd.dev.sigstore.bundle.v0.3+json
// and subject = the image; when the registry has no referrers API (docker
// registry 2.8: GET /v2/<name>/referrers/<zero digest> is not 200, and no
// OCI-Subject header) it also adds the manifest to the index at the fallback
// tag sha256-<hex> (the distribution spec's referrers tag schema).
// @sigstore/oci talks http to 127.0.0.1 and localhost, https elsewhere.
//
//   node attach.mjs --registry 127.0.0.1:PORT --repo REPO --digest sha256:HEX
//        --bundle bundle.json [--user U --password P]
// Prints the referrer manifest digest.
import { attachArtifactToImage } from '@sigstore/oci';
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    registry: { type: 'string' },
    repo: { type: 'string' },
    digest: { type: 'string' },
    bundle: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    'predicate-type': { type: 'string', default: 'https://sigstore.dev/cosign/sign/v1' },
  },
});
if (!opts.registry || !opts.repo || !opts.digest || !opts.bundle) {
  console.error('usage: attach.mjs --registry HOST:PORT --repo REPO --digest sha256:HEX --bundle FILE');
  process.exit(2);
}

const registry = opts.registry.replace(/^https?:\/\//, '');
try {
  const descriptor = await attachArtifactToImage({
    imageName: `${registry}/${opts.repo}`,
    imageDigest: opts.digest,
    artifact: fs.readFileSync(opts.bundle),
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    // The annotations cosign v3 puts on its bundle referrers.
    annotations: {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': opts['predicate-type'],
    },
    // No credentials: @sigstore/oci then skips its sign-in probe (an
    // anonymous registry answers it 202, which it would take for a challenge).
    credentials: opts.user ? { username: opts.user, password: opts.password ?? '' } : undefined,
  });
  console.log(descriptor.digest);
} catch (err) {
  console.error(`attach: ${err.message}${err.cause ? `: ${err.cause.message}` : ''}`);
  process.exit(1);
}
