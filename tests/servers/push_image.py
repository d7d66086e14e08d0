#!/usr/bin/python3
"""Pushes a small test image to a Registry v2 over its HTTP API (no docker).

Creates a gzip layer and a config blob, uploads them (monolithic
POST + PUT ?digest=), PUTs the manifest under the tag and prints the sha256
digest of the exact manifest bytes sent, after checking that the registry's
Docker-Content-Digest header agrees.

Kinds: schema2 (Docker v2 schema 2), oci (OCI image manifest),
oci-index (OCI index of linux/amd64 + linux/arm64 OCI manifests),
docker-list (Docker manifest list of two schema2 manifests).
Layers are real gzip'd tars, so `docker pull` of any kind works.
--attestations adds a BuildKit-style attestation manifest per platform
(platform unknown/unknown, vnd.docker.reference.* annotations) to an oci-index.
Same --seed => same bytes => same digest; another seed => other content.
--tags t1,t2,... (schema2/oci) uploads the blobs once and PUTs one manifest per
tag, each with its own annotation (so its own digest); prints "TAG DIGEST"
lines in the order given.
Handles Basic auth and Bearer token auth (WWW-Authenticate challenge).
"""

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import ssl
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request

MT = {
    "schema2": "application/vnd.docker.distribution.manifest.v2+json",
    "docker-list":
        "application/vnd.docker.distribution.manifest.list.v2+json",
    "docker-config": "application/vnd.docker.container.image.v1+json",
    "docker-layer": "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "oci": "application/vnd.oci.image.manifest.v1+json",
    "oci-index": "application/vnd.oci.image.index.v1+json",
    "oci-config": "application/vnd.oci.image.config.v1+json",
    "oci-layer": "application/vnd.oci.image.layer.v1.tar+gzip",
    "in-toto": "application/vnd.in-toto+json",
}


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def parse_challenge(header):
    """'Bearer realm="x",service="y"' -> ('bearer', {realm: x, ...})."""
    scheme, _, rest = header.strip().partition(" ")
    params = {}
    i = 0
    while i < len(rest):
        while i < len(rest) and rest[i] in " ,":
            i += 1
        eq = rest.find("=", i)
        if eq < 0:
            break
        key = rest[i:eq].strip().lower()
        i = eq + 1
        if i < len(rest) and rest[i] == '"':
            j = i + 1
            value = ""
            while j < len(rest) and rest[j] != '"':
                if rest[j] == "\\" and j + 1 < len(rest):
                    j += 1
                value += rest[j]
                j += 1
            i = j + 1
        else:
            j = rest.find(",", i)
            j = len(rest) if j < 0 else j
            value = rest[i:j].strip()
            i = j
        params[key] = value
    return scheme.lower(), params


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Registry:
    def __init__(self, base, repo, user, password, cacert):
        self.base = base.rstrip("/")
        self.repo = repo
        self.user = user
        self.password = password
        ctx = ssl.create_default_context(cafile=cacert) if cacert else None
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=ctx),
            urllib.request.ProxyHandler({}), NoRedirect())
        self.auth_header = None

    def _basic(self):
        if self.user is None:
            return None
        raw = ("%s:%s" % (self.user, self.password or "")).encode()
        return "Basic " + base64.b64encode(raw).decode()

    def _raw(self, method, url, data=None, headers=None):
        req = urllib.request.Request(url, data=data, method=method,
                                     headers=dict(headers or {}))
        if self.auth_header:
            req.add_header("Authorization", self.auth_header)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def _authenticate(self, challenge):
        scheme, params = parse_challenge(challenge)
        if scheme == "basic":
            if self._basic() is None:
                sys.exit("push_image: registry wants Basic auth; "
                         "pass --user/--password")
            self.auth_header = self._basic()
            return
        if scheme != "bearer" or "realm" not in params:
            sys.exit("push_image: unsupported challenge %r" % challenge)
        query = {"scope": "repository:%s:pull,push" % self.repo}
        if "service" in params:
            query["service"] = params["service"]
        if self.user is not None:
            query["account"] = self.user
        url = params["realm"] + "?" + urllib.parse.urlencode(query)
        req = urllib.request.Request(url)
        if self._basic():
            req.add_header("Authorization", self._basic())
        try:
            with self.opener.open(req, timeout=30) as resp:
                body = json.loads(resp.read())
        except urllib.error.HTTPError as e:
            sys.exit("push_image: token request failed: HTTP %d" % e.code)
        token = body.get("token") or body.get("access_token")
        if not token:
            sys.exit("push_image: token response without token")
        self.auth_header = "Bearer " + token

    def request(self, method, url, data=None, headers=None):
        if not url.startswith("http"):
            url = self.base + url
        status, hdrs, body = self._raw(method, url, data, headers)
        if status == 401 and hdrs.get("WWW-Authenticate"):
            self._authenticate(hdrs["WWW-Authenticate"])
            status, hdrs, body = self._raw(method, url, data, headers)
        return status, hdrs, body

    def upload_blob(self, data):
        digest = sha256(data)
        path = "/v2/%s/blobs/%s" % (self.repo, digest)
        status, _, _ = self.request("HEAD", path)
        if status == 200:
            return digest
        status, hdrs, body = self.request(
            "POST", "/v2/%s/blobs/uploads/" % self.repo, data=b"",
            headers={"Content-Length": "0"})
        if status != 202:
            sys.exit("push_image: upload start: HTTP %d %s" % (status, body))
        location = urllib.parse.urljoin(self.base + "/", hdrs["Location"])
        sep = "&" if "?" in location else "?"
        url = location + sep + urllib.parse.urlencode({"digest": digest})
        status, _, body = self.request(
            "PUT", url, data=data,
            headers={"Content-Type": "application/octet-stream"})
        if status != 201:
            sys.exit("push_image: blob PUT: HTTP %d %s" % (status, body))
        return digest

    def put_manifest(self, ref, media_type, data):
        status, hdrs, body = self.request(
            "PUT", "/v2/%s/manifests/%s" % (self.repo, ref), data=data,
            headers={"Content-Type": media_type})
        if status != 201:
            sys.exit("push_image: manifest PUT %s: HTTP %d %s" %
                     (ref, status, body.decode(errors="replace")))
        digest = sha256(data)
        got = hdrs.get("Docker-Content-Digest")
        if got != digest:
            sys.exit("push_image: registry digest %s != sha256 of pushed "
                     "bytes %s" % (got, digest))
        return digest


def make_layer(seed, platform):
    content = ("regdigest test layer\nseed=%s\nplatform=%s\n" %
               (seed, platform)).encode()
    tar_buf = io.BytesIO()
    with tarfile.open(fileobj=tar_buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        info = tarfile.TarInfo("regdigest-test.txt")
        info.size = len(content)
        info.mtime = 0
        info.mode = 0o644
        t.addfile(info, io.BytesIO(content))
    tar = tar_buf.getvalue()
    gz_buf = io.BytesIO()
    with gzip.GzipFile(fileobj=gz_buf, mode="wb", mtime=0) as gz:
        gz.write(tar)
    return gz_buf.getvalue(), sha256(tar)


def dumps(obj):
    return json.dumps(obj, indent=3, sort_keys=False).encode()


def push_single(reg, kind, seed, os_name, arch, ref, tags=None):
    """Pushes one image manifest (schema2|oci); returns (digest, size).
    With `tags`, pushes one manifest per tag (blobs uploaded once) and
    returns [(tag, digest)]."""
    layer, diff_id = make_layer(seed, os_name + "/" + arch)
    config = dumps({
        "architecture": arch,
        "os": os_name,
        "created": "2024-01-01T00:00:00Z",
        "config": {"Env": ["REGDIGEST_SEED=" + seed], "Cmd": ["/bin/true"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "2024-01-01T00:00:00Z",
                     "created_by": "push_image.py"}],
    })
    oci = kind == "oci"
    manifest = {
        "schemaVersion": 2,
        "mediaType": MT[kind],
        "config": {"mediaType": MT["oci-config" if oci else "docker-config"],
                   "size": len(config), "digest": reg.upload_blob(config)},
        "layers": [{"mediaType": MT["oci-layer" if oci else "docker-layer"],
                    "size": len(layer), "digest": reg.upload_blob(layer)}],
    }
    if tags:
        pushed = []
        for tag in tags:
            manifest["annotations"] = {"org.regdigest.test.tag": tag}
            data = dumps(manifest)
            pushed.append((tag, reg.put_manifest(tag, MT[kind], data)))
        return pushed
    data = dumps(manifest)
    return reg.put_manifest(ref or sha256(data), MT[kind], data), len(data)


def push_attestation(reg, seed, subject):
    """Pushes a BuildKit-style attestation manifest for `subject` (an index
    entry); returns the index entry that refers to it."""
    statement = dumps({
        "_type": "https://in-toto.io/Statement/v0.1",
        "predicateType": "https://slsa.dev/provenance/v0.2",
        "subject": [{"name": "regdigest-test",
                     "digest": {"sha256": subject["digest"][7:]}}],
        "predicate": {"builder": {"id": "push_image.py"}, "seed": seed},
    })
    config = dumps({
        "architecture": "unknown", "os": "unknown", "config": {},
        "rootfs": {"type": "layers", "diff_ids": [sha256(statement)]},
    })
    manifest = dumps({
        "schemaVersion": 2,
        "mediaType": MT["oci"],
        "config": {"mediaType": MT["oci-config"], "size": len(config),
                   "digest": reg.upload_blob(config)},
        "layers": [{"mediaType": MT["in-toto"], "size": len(statement),
                    "digest": reg.upload_blob(statement),
                    "annotations": {"in-toto.io/predicate-type":
                                    "https://slsa.dev/provenance/v0.2"}}],
    })
    digest = reg.put_manifest(sha256(manifest), MT["oci"], manifest)
    return {"mediaType": MT["oci"], "size": len(manifest), "digest": digest,
            "annotations": {
                "vnd.docker.reference.digest": subject["digest"],
                "vnd.docker.reference.type": "attestation-manifest"},
            "platform": {"architecture": "unknown", "os": "unknown"}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--registry", required=True, help="http(s)://host:port")
    ap.add_argument("--repo", required=True)
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--tag")
    target.add_argument("--tags", help="comma-separated tags: blobs once, "
                        "one manifest per tag (schema2/oci only)")
    ap.add_argument("--kind", default="schema2",
                    choices=["schema2", "oci", "oci-index", "docker-list"])
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--cacert", help="CA bundle for an https registry")
    ap.add_argument("--seed", help="content seed (default: random)")
    ap.add_argument("--print-children", action="store_true",
                    help="for an index/list also print 'DIGEST OS/ARCH' "
                    "lines for the children after the index digest")
    ap.add_argument("--attestations", action="store_true",
                    help="oci-index only: add an attestation manifest "
                    "(unknown/unknown) per platform, as BuildKit does")
    args = ap.parse_args()
    if args.attestations and args.kind != "oci-index":
        ap.error("--attestations needs --kind oci-index")
    seed = args.seed if args.seed is not None else os.urandom(16).hex()
    reg = Registry(args.registry, args.repo, args.user, args.password,
                   args.cacert)

    if args.tags is not None:
        if args.kind not in ("schema2", "oci"):
            ap.error("--tags needs --kind schema2 or oci")
        tags = [t for t in args.tags.split(",") if t]
        for tag, digest in push_single(reg, args.kind, seed, "linux", "amd64",
                                       None, tags):
            print("%s %s" % (tag, digest))
        return
    if args.kind in ("schema2", "oci"):
        digest, _ = push_single(reg, args.kind, seed, "linux", "amd64",
                                args.tag)
        print(digest)
        return
    child_kind = "oci" if args.kind == "oci-index" else "schema2"
    children = []
    for arch in ("amd64", "arm64"):
        digest, size = push_single(reg, child_kind, seed, "linux", arch, None)
        children.append({"mediaType": MT[child_kind], "size": size,
                         "digest": digest,
                         "platform": {"architecture": arch, "os": "linux"}})
    attestations = []
    if args.attestations:
        attestations = [push_attestation(reg, seed, c) for c in children]
    index = dumps({"schemaVersion": 2, "mediaType": MT[args.kind],
                   "manifests": children + attestations})
    print(reg.put_manifest(args.tag, MT[args.kind], index))
    if args.print_children:
        for c in children:
            print("%s %s/%s" % (c["digest"], c["platform"]["os"],
                                c["platform"]["architecture"]))
        for a in attestations:
            print("%s attestation" % a["digest"])


if __name__ == "__main__":
    main()
