#!/usr/bin/python3
"""Signs an image the way `cosign sign --key` does (tag format, cosign <= v2)
and pushes the signature to a Registry v2, byte for byte in cosign's shape.

The signature manifest goes to tag sha256-<hex>.sig in the image's repository:
  {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
   "config":{"mediaType":"application/vnd.oci.image.config.v1+json",...},
   "layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json",
              "size":N,"digest":"sha256:<payload>",
              "annotations":{"dev.cosignproject.cosign/signature":"<b64 DER>"}}]}
(compact JSON, as go-containerregistry writes it; config blob as cosign's:
empty architecture/os, one history entry and one diff_id per layer). The
payload is the simple-signing JSON with "optional":null when there are no
annotations. Source: cosign's EXAMPLES.md "Sign With OpenSSL, Verify With
Cosign", and a `cosign sign -d` trace of a real .sig manifest (docs/signatures.md).

The signature is made with openssl: `openssl dgst -sha256 -sign KEY` for ECDSA
and RSA (PKCS#1 v1.5) keys, `openssl pkeyutl -sign -rawin` for Ed25519.

Negatives for tests (each still pushes a well-formed manifest):
  --claim-digest D   payload names digest D instead of the image (signed)
  --tamper           payload changed after signing
  --truncate         signature cut by 8 bytes
  --bad-base64       signature annotation is not base64
  --copy-from D      copy the layers of image D's .sig to this image's .sig
                     (a signature copied from another image)
  --append           add the layer to the existing .sig (cosign appends)
Prints "<sig manifest digest> <payload digest>" on stdout.
--out DIR writes manifest.json, config.json and payload.json there instead of
pushing (no --registry needed; --append/--copy-from need a registry).
"""

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "servers"))
from push_image import Registry  # noqa: E402

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
CERT_ANNOTATION = "dev.sigstore.cosign/certificate"
CHAIN_ANNOTATION = "dev.sigstore.cosign/chain"
BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle"
CREATED = "0001-01-01T00:00:00Z"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def compact(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def make_payload(reference, digest, annotations):
    # cosign (sigstore/sigstore pkg/signature/payload) marshals a Go struct:
    # key order critical{identity,image,type}, optional (null when empty).
    return compact({
        "critical": {
            "identity": {"docker-reference": reference},
            "image": {"docker-manifest-digest": digest},
            "type": "cosign container image signature",
        },
        "optional": annotations or None,
    })


def is_ed25519(key_path):
    out = subprocess.run(["openssl", "pkey", "-in", key_path, "-noout",
                          "-text_pub"], capture_output=True, check=True)
    return out.stdout.startswith(b"ED25519")


def sign(key_path, payload, hash_name):
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "payload")
        with open(data, "wb") as f:
            f.write(payload)
        if is_ed25519(key_path):
            cmd = ["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key_path,
                   "-in", data]
        else:
            cmd = ["openssl", "dgst", "-" + hash_name, "-sign", key_path, data]
        return subprocess.run(cmd, capture_output=True, check=True).stdout


def config_blob(layers):
    # go-containerregistry's empty.Image + one mutate.Append per layer.
    return compact({
        "architecture": "",
        "created": CREATED,
        "history": [{"created": CREATED} for _ in layers],
        "os": "",
        "rootfs": {"type": "layers",
                   "diff_ids": [layer["digest"] for layer in layers]},
        "config": {},
    })


def get_manifest(reg, ref):
    status, hdrs, body = reg.request(
        "GET", "/v2/%s/manifests/%s" % (reg.repo, ref),
        headers={"Accept": OCI_MANIFEST})
    if status == 404:
        return None
    if status != 200:
        sys.exit("cosign_sig: GET manifest %s: HTTP %d" % (ref, status))
    return json.loads(body)


def sig_tag(digest):
    return digest.replace(":", "-") + ".sig"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--registry", help="http(s)://host:port")
    ap.add_argument("--out", help="write the files to this directory instead")
    ap.add_argument("--repo", required=True)
    ap.add_argument("--digest", required=True, help="image digest to sign")
    ap.add_argument("--key", help="PEM private key (ECDSA, RSA, Ed25519)")
    ap.add_argument("--reference",
                    help="docker-reference (default HOST:PORT/REPO)")
    ap.add_argument("--annotation", action="append", default=[],
                    help="k=v in the payload's optional (repeatable)")
    ap.add_argument("--hash", default="sha256",
                    help="digest for ECDSA/RSA (sha256; sha384/sha512 for "
                         "sigstore's P-384/P-521 defaults)")
    ap.add_argument("--certificate", help="PEM file for the certificate annotation")
    ap.add_argument("--rekor-bundle", help="file with a dev.sigstore.cosign/bundle value")
    ap.add_argument("--claim-digest")
    ap.add_argument("--tamper", action="store_true")
    ap.add_argument("--truncate", action="store_true")
    ap.add_argument("--bad-base64", action="store_true")
    ap.add_argument("--copy-from")
    ap.add_argument("--append", action="store_true")
    ap.add_argument("--tag", help="push to this tag instead of sha256-<hex>.sig")
    ap.add_argument("--write-payload", help="also write the payload bytes here")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--cacert")
    args = ap.parse_args()
    if not args.registry and not (args.out and args.reference):
        sys.exit("cosign_sig: give --registry, or --out with --reference")
    for d in (args.digest, args.claim_digest, args.copy_from):
        if d is not None and not re.fullmatch(r"sha256:[0-9a-f]{64}", d):
            sys.exit("cosign_sig: %r is not a sha256 digest" % d)
    if args.out and (args.append or args.copy_from):
        sys.exit("cosign_sig: --append and --copy-from read the registry")

    reg = Registry(args.registry, args.repo, args.user, args.password,
                   args.cacert) if args.registry else None
    tag = args.tag or sig_tag(args.digest)
    layers = []
    if args.copy_from:
        source = get_manifest(reg, sig_tag(args.copy_from))
        if source is None:
            sys.exit("cosign_sig: %s has no .sig to copy" % args.copy_from)
        layers = source["layers"]
        payload = b""
    else:
        if not args.key:
            sys.exit("cosign_sig: --key is required (unless --copy-from)")
        if args.append:
            existing = get_manifest(reg, tag)
            layers = existing["layers"] if existing else []
        reference = args.reference or "%s/%s" % (
            urllib.parse.urlsplit(args.registry).netloc, args.repo)
        annotations = dict(a.split("=", 1) for a in args.annotation)
        payload = make_payload(reference, args.claim_digest or args.digest,
                               annotations)
        signature = sign(args.key, payload, args.hash)
        if args.truncate:
            signature = signature[:-8]
        if args.tamper:
            payload = payload.replace(b'"critical"', b'"critical" ', 1)
        b64 = base64.b64encode(signature).decode()
        if args.bad_base64:
            b64 = "!!" + b64[2:]
        layer_annotations = {SIGNATURE_ANNOTATION: b64}
        if args.certificate:
            with open(args.certificate) as f:
                layer_annotations[CERT_ANNOTATION] = f.read()
        if args.rekor_bundle:
            with open(args.rekor_bundle) as f:
                layer_annotations[BUNDLE_ANNOTATION] = f.read().strip()
        if reg:
            reg.upload_blob(payload)
        layers = layers + [{"mediaType": SIMPLE_SIGNING, "size": len(payload),
                            "digest": sha256(payload),
                            "annotations": layer_annotations}]
        if args.write_payload:
            with open(args.write_payload, "wb") as f:
                f.write(payload)
    config = config_blob(layers)
    manifest = compact({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "size": len(config),
                   "digest": sha256(config)},
        "layers": layers,
    })
    if args.out:
        for name, data in (("manifest.json", manifest), ("config.json", config),
                           ("payload.json", payload)):
            with open(os.path.join(args.out, name), "wb") as f:
                f.write(data)
        digest = sha256(manifest)
    else:
        reg.upload_blob(config)
        digest = reg.put_manifest(tag, OCI_MANIFEST, manifest)
    print(digest, sha256(payload) if payload else "-")


if __name__ == "__main__":
    main()
