#!/usr/bin/env python3
"""A web server that is not a container registry, for integration tests.

  not_a_registry.py PORT_FILE LOG_FILE

Listens on a free port of 127.0.0.1 (written to PORT_FILE once listening),
plain HTTP, and answers under /v2/ the way web servers and misconfigured
proxies do. LOG_FILE gets one "METHOD PATH" line per request it understood
(a TLS handshake it cannot read is answered 400 by the standard library and
not logged).

  /v2/html/manifests/*     200 text/html page, as a web server's index
  /v2/octet/manifests/*    200 application/octet-stream with a real OCI image
                           manifest body (no mediaType field, no digest
                           header), as a static file server holding one
  /v2/octet/blobs/DIGEST   the manifest's config blob
  /v2/schema1/manifests/*  200 application/vnd.docker.distribution.manifest.v1+prettyjws
  anything else            404 text/html
"""
import hashlib
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file = sys.argv[1], sys.argv[2]
log_lock = threading.Lock()

CONFIG = json.dumps({"architecture": "amd64", "os": "linux",
                     "created": "2024-01-01T00:00:00Z",
                     "rootfs": {"type": "layers", "diff_ids": []}}).encode()
CONFIG_DIGEST = "sha256:" + hashlib.sha256(CONFIG).hexdigest()
MANIFEST = json.dumps({"schemaVersion": 2,
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "digest": CONFIG_DIGEST, "size": len(CONFIG)},
                       "layers": []}).encode()
HTML = b"<!DOCTYPE html><html><head><title>Index of /v2/</title></head><body>hi</body></html>\n"
SCHEMA1 = json.dumps({"schemaVersion": 1, "name": "schema1", "tag": "z",
                      "fsLayers": [], "history": []}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *unused):
        pass

    def answer(self):
        with log_lock, open(log_file, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        path = self.path
        if path.startswith("/v2/html/manifests/"):
            status, ctype, body = 200, "text/html; charset=utf-8", HTML
        elif path.startswith("/v2/octet/manifests/"):
            status, ctype, body = 200, "application/octet-stream", MANIFEST
        elif path == "/v2/octet/blobs/" + CONFIG_DIGEST:
            status, ctype, body = 200, "application/octet-stream", CONFIG
        elif path.startswith("/v2/schema1/manifests/"):
            status, ctype = 200, "application/vnd.docker.distribution.manifest.v1+prettyjws"
            body = SCHEMA1
        else:
            status, ctype, body = 404, "text/html", b"<html>not found</html>\n"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = answer


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
