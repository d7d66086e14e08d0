#!/usr/bin/env node
// Cross-check with real sigstore-js code: verifies a bundle's signature with
// @sigstore/verify (Verifier with a public-key trust material, no tlog,
// certificate or timestamp required: the bundles of sign_bundle.mjs have none)
// and, with --digest, that the in-toto Statement's subject is that digest.
//
//   node verify_bundle.mjs --bundle bundle.json --key KEY.pub [--digest sha256:HEX]
// Exit 0 and "verified" when both hold; exit 1 and the reason otherwise.
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    bundle: { type: 'string' },
    key: { type: 'string' },
    digest: { type: 'string' },
  },
});
if (!opts.bundle || !opts.key) {
  console.error('usage: verify_bundle.mjs --bundle FILE --key KEY.pub [--digest sha256:HEX]');
  process.exit(2);
}

const fail = (why) => {
  console.log(`not verified: ${why}`);
  process.exit(1);
};

try {
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(opts.bundle, 'utf8')));
  const publicKey = crypto.createPublicKey(fs.readFileSync(opts.key));
  const emptyRoot = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };
  // Every hint maps to the given key (the bundle's hint is whatever the signer chose).
  const trust = toTrustMaterial(emptyRoot, () => ({ publicKey, validFor: () => true }));
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(toSignedEntity(bundle));
  if (opts.digest) {
    const statement = JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString());
    const [algorithm, hex] = opts.digest.split(':');
    if (!statement.subject.some((s) => s.digest?.[algorithm] === hex)) {
      fail(`subject is not ${opts.digest}`);
    }
  }
  console.log('verified');
} catch (err) {
  fail(err.message);
}
