#!/usr/bin/env node
// Makes a sigstore bundle the way cosign v3 signs an image (an in-toto
// Statement v1 whose subject is the image digest and whose predicateType is
// https://sigstore.dev/cosign/sign/v1, in a DSSE envelope), with real
// sigstore-js code: @sigstore/sign's DSSEBundleBuilder and a local-key signer
// (no Fulcio, no Rekor: the bundle's verificationMaterial is publicKey{hint}).
//
//   node sign_bundle.mjs --key KEY.pem --digest sha256:HEX [--hint H]
//        [--subject-digest sha256:OTHER] [--predicate-type T]
//        [--annotation k=v ...] [--tamper] [--certificate CERT.pem] > bundle.json
//
// The key is a PEM private key (ECDSA P-256/P-384/P-521, RSA, Ed25519); the
// signature is node's crypto.sign with SHA-256 (none for Ed25519), as
// @sigstore/verify checks DSSE signatures. --annotation puts string members in
// the predicate; --tamper changes the payload after signing (for negatives);
// --certificate puts that certificate (for the key) in the bundle instead of a
// key hint, as a keyless (Fulcio) bundle has.
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder } from '@sigstore/sign';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    key: { type: 'string' },
    digest: { type: 'string' },
    hint: { type: 'string', default: '' },
    'subject-digest': { type: 'string' },
    'predicate-type': { type: 'string', default: 'https://sigstore.dev/cosign/sign/v1' },
    annotation: { type: 'string', multiple: true, default: [] },
    tamper: { type: 'boolean', default: false },
    certificate: { type: 'string' },
  },
});
if (!opts.key || !opts.digest) {
  console.error('usage: sign_bundle.mjs --key KEY.pem --digest sha256:HEX [options]');
  process.exit(2);
}

const privateKey = crypto.createPrivateKey(fs.readFileSync(opts.key));
const publicKeyPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
const hashFor = (key) => (key.asymmetricKeyType === 'ed25519' ? null : 'sha256');

// A Signer (@sigstore/sign's interface) that signs with the local key.
const signer = {
  async sign(data) {
    return {
      signature: crypto.sign(hashFor(privateKey), data, privateKey),
      key: opts.certificate
        ? { $case: 'x509Certificate', certificate: fs.readFileSync(opts.certificate, 'utf8') }
        : { $case: 'publicKey', publicKey: publicKeyPem, hint: opts.hint },
    };
  },
};

const subject = opts['subject-digest'] ?? opts.digest;
const [algorithm, hex] = subject.split(':');
const predicate = Object.fromEntries(opts.annotation.map((a) => {
  const at = a.indexOf('=');
  return [a.slice(0, at), a.slice(at + 1)];
}));
const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ digest: { [algorithm]: hex } }],
  predicateType: opts['predicate-type'],
  predicate,
};

const builder = new DSSEBundleBuilder({ signer, witnesses: [] });
const bundle = await builder.create({
  data: Buffer.from(JSON.stringify(statement)),
  type: 'application/vnd.in-toto+json',
});
const json = bundleToJSON(bundle);
if (opts.tamper) {
  const tampered = { ...statement, predicate: { ...predicate, tampered: 'yes' } };
  json.dsseEnvelope.payload = Buffer.from(JSON.stringify(tampered)).toString('base64');
}
process.stdout.write(JSON.stringify(json) + '\n');
