#!/usr/bin/python3
"""Makes transparency-log evidence the way Rekor v1 does, signed with a test
"log" key (tests/data/trust/keys/rekor.key), for offline --rekor-key tests.

Rekor's signed entry timestamp (SET) is an ECDSA P-256/SHA-256 signature over
the canonical JSON (sorted keys, no blanks) of
  {"body":"<base64 canonicalized entry>","integratedTime":N,"logID":"<hex>","logIndex":N}
where logID is the SHA-256 of the log key's DER SubjectPublicKeyInfo. Entry
bodies: hashedrekord 0.0.1 (a cosign .sig signature over its payload) and
dsse 0.0.1 (a DSSE envelope). Checked against a real entry of the public
Rekor (tests/data/trust/cosign-real, README there).

  make_rekor_entry.py cosign --log-key K --payload P --signature-b64 S --public-key PUB
      prints the dev.sigstore.cosign/bundle annotation value
  make_rekor_entry.py bundle --log-key K --bundle B --public-key PUB
      prints bundle B with one tlogEntries item (kind dsse) added
Options: --integrated-time N, --log-index N, --tamper-set (flip a SET byte).
"""

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tempfile


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def log_id(log_key):
    der = subprocess.run(["openssl", "pkey", "-in", log_key, "-pubout",
                          "-outform", "DER"], capture_output=True,
                         check=True).stdout
    return hashlib.sha256(der).hexdigest()


def sign(log_key, data):
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", log_key,
                               f.name], capture_output=True, check=True).stdout


def entry(args, body):
    body_b64 = base64.b64encode(canonical(body)).decode()
    payload = {"body": body_b64, "integratedTime": args.integrated_time,
               "logID": log_id(args.log_key), "logIndex": args.log_index}
    set_bytes = bytearray(sign(args.log_key, canonical(payload)))
    if args.tamper_set:
        set_bytes[-1] ^= 1
    return payload, base64.b64encode(bytes(set_bytes)).decode()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("mode", choices=["cosign", "bundle"])
    ap.add_argument("--log-key", required=True)
    ap.add_argument("--public-key", required=True, help="the signer's PEM public key")
    ap.add_argument("--payload")
    ap.add_argument("--signature-b64")
    ap.add_argument("--bundle")
    ap.add_argument("--integrated-time", type=int, default=1764500000)
    ap.add_argument("--log-index", type=int, default=4242)
    ap.add_argument("--tamper-set", action="store_true")
    args = ap.parse_args()
    with open(args.public_key, "rb") as f:
        verifier_b64 = base64.b64encode(f.read()).decode()

    if args.mode == "cosign":
        if not args.payload or not args.signature_b64:
            sys.exit("make_rekor_entry: cosign needs --payload and --signature-b64")
        with open(args.payload, "rb") as f:
            payload_bytes = f.read()
        body = {"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
            "data": {"hash": {"algorithm": "sha256",
                              "value": hashlib.sha256(payload_bytes).hexdigest()}},
            "signature": {"content": args.signature_b64,
                          "publicKey": {"content": verifier_b64}}}}
        payload, set_b64 = entry(args, body)
        print(json.dumps({"SignedEntryTimestamp": set_b64, "Payload": payload},
                         separators=(",", ":")))
        return

    with open(args.bundle) as f:
        bundle = json.load(f)
    envelope = bundle["dsseEnvelope"]
    payload_bytes = base64.b64decode(envelope["payload"])
    body = {"apiVersion": "0.0.1", "kind": "dsse", "spec": {
        "envelopeHash": {"algorithm": "sha256",
                         "value": hashlib.sha256(canonical(envelope)).hexdigest()},
        "payloadHash": {"algorithm": "sha256",
                        "value": hashlib.sha256(payload_bytes).hexdigest()},
        "signatures": [{"signature": s["sig"], "verifier": verifier_b64}
                       for s in envelope["signatures"]]}}
    payload, set_b64 = entry(args, body)
    bundle["verificationMaterial"]["tlogEntries"] = [{
        "logIndex": str(payload["logIndex"]),
        "logId": {"keyId": base64.b64encode(bytes.fromhex(payload["logID"])).decode()},
        "kindVersion": {"kind": "dsse", "version": "0.0.1"},
        "integratedTime": str(payload["integratedTime"]),
        "inclusionPromise": {"signedEntryTimestamp": set_b64},
        "canonicalizedBody": payload["body"],
    }]
    print(json.dumps(bundle, separators=(",", ":")))


if __name__ == "__main__":
    main()
