#!/usr/bin/env python3
"""A registry with the OCI 1.1 referrers API, for integration tests:
docker-registry 2.8 has none, so this proxy sits in front of it.

  referrers_registry.py UPSTREAM_PORT PORT_FILE [--page-size N] [--no-filter]

Listens on a free port of 127.0.0.1 (written to PORT_FILE once listening) and
forwards every request to 127.0.0.1:UPSTREAM_PORT (the Host header is kept, so
upload Locations point back here). A manifest PUT whose body has a `subject`
is remembered, and its answer carries `OCI-Subject` (as the distribution spec
says, so clients skip the fallback tag). It then answers itself

  GET /v2/<name>/referrers/<digest>[?artifactType=T][&last=<digest>]

with an OCI image index of the referrers seen, --page-size entries a page
(default 2) and `Link: <...&last=...>; rel="next"` while more remain. With an
artifactType query it filters and says so in `OCI-Filters-Applied:
artifactType`, unless --no-filter (then the client must filter).
GET /_filter/on and /_filter/off switch that at run time (answered 204).
The state is in memory only: push referrers through this proxy.
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("upstream_port", type=int)
parser.add_argument("port_file")
parser.add_argument("--page-size", type=int, default=2)
parser.add_argument("--no-filter", action="store_true")
args = parser.parse_args()

lock = threading.Lock()
referrers = {}  # (repo, subject digest) -> [descriptor], in push order
REFERRERS = re.compile(r"^/v2/(.+)/referrers/(sha256:[0-9a-f]{64})$")
MANIFEST = re.compile(r"^/v2/(.+)/manifests/([^/]+)$")
INDEX = "application/vnd.oci.image.index.v1+json"


def remember(repo, content_type, body):
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("subject"), dict):
        return None
    subject = doc["subject"].get("digest")
    descriptor = {
        "mediaType": doc.get("mediaType") or content_type,
        "digest": "sha256:" + hashlib.sha256(body).hexdigest(),
        "size": len(body),
    }
    artifact_type = doc.get("artifactType") or (doc.get("config") or {}).get("mediaType")
    if artifact_type:
        descriptor["artifactType"] = artifact_type
    if isinstance(doc.get("annotations"), dict):
        descriptor["annotations"] = doc["annotations"]
    with lock:
        entries = referrers.setdefault((repo, subject), [])
        if all(e["digest"] != descriptor["digest"] for e in entries):
            entries.append(descriptor)
    return subject


class Registry(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *unused):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, status, headers, data):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def referrers_page(self, repo, subject, query):
        params = urllib.parse.parse_qs(query)
        artifact_type = params.get("artifactType", [None])[0]
        last = params.get("last", [None])[0]
        with lock:
            entries = list(referrers.get((repo, subject), []))
        headers = [("Content-Type", INDEX)]
        if artifact_type and not args.no_filter:
            entries = [e for e in entries if e.get("artifactType") == artifact_type]
            headers.append(("OCI-Filters-Applied", "artifactType"))
        start = 0
        if last:
            digests = [e["digest"] for e in entries]
            start = digests.index(last) + 1 if last in digests else len(entries)
        page = entries[start:start + args.page_size]
        if start + args.page_size < len(entries):
            next_query = {"last": page[-1]["digest"]}
            if artifact_type:
                next_query["artifactType"] = artifact_type
            headers.append(("Link", '</v2/%s/referrers/%s?%s>; rel="next"' %
                            (repo, subject, urllib.parse.urlencode(next_query))))
        body = json.dumps({"schemaVersion": 2, "mediaType": INDEX, "manifests": page})
        self.answer(200, headers, body.encode())

    def forward(self):
        path, _, query = self.path.partition("?")
        if path in ("/_filter/on", "/_filter/off"):
            args.no_filter = path.endswith("off")
            self.answer(204, [], b"")
            return
        match = REFERRERS.match(path)
        if match and self.command in ("GET", "HEAD"):
            self.referrers_page(match.group(1), match.group(2), query)
            return
        body = self.read_body()
        conn = http.client.HTTPConnection("127.0.0.1", args.upstream_port, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("transfer-encoding", "content-length")}
        if body or self.command in ("PUT", "POST", "PATCH"):
            headers["Content-Length"] = str(len(body))
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        extra = []
        manifest = MANIFEST.match(path)
        if manifest and self.command == "PUT" and resp.status == 201:
            subject = remember(manifest.group(1), self.headers.get("Content-Type", ""), body)
            if subject:
                extra.append(("OCI-Subject", subject))
        self.answer(resp.status, resp.getheaders() + extra, data)

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = forward


server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.replace(args.port_file + ".tmp", args.port_file)
server.serve_forever()
