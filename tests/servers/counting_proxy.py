#!/usr/bin/env python3
"""A proxy for integration tests that counts requests in flight.

  counting_proxy.py UPSTREAM_PORT PORT_FILE STATS_FILE [--hold SECONDS]

Listens on a free port of 127.0.0.1 (written to PORT_FILE once listening) and
forwards every GET and HEAD to 127.0.0.1:UPSTREAM_PORT, holding each request
--hold seconds (default 0.1) first, so that requests sent together are in
flight together here even on a loaded machine. After each request it rewrites
STATS_FILE (atomically) as one line:

  MAX TOTAL MAX_HEAD MAX_GET HEADS GETS

the most requests in flight at once (all, HEAD, GET) and how many were sent.
GET /_reset starts a new count (answered 204, not forwarded).
"""
import argparse
import http.client
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("upstream_port", type=int)
parser.add_argument("port_file")
parser.add_argument("stats_file")
parser.add_argument("--hold", type=float, default=0.1)
args = parser.parse_args()

lock = threading.Lock()
now, most, total = {}, {}, {}  # per method, and "*" for all


def write_stats():
    line = "%d %d %d %d %d %d\n" % (most.get("*", 0), total.get("*", 0), most.get("HEAD", 0),
                                    most.get("GET", 0), total.get("HEAD", 0), total.get("GET", 0))
    with open(args.stats_file + ".tmp", "w") as f:
        f.write(line)
    os.replace(args.stats_file + ".tmp", args.stats_file)


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *unused):
        pass

    def forward(self):
        method = self.command
        if self.path == "/_reset":
            with lock:
                now.clear()
                most.clear()
                total.clear()
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with lock:
            for key in ("*", method):
                now[key] = now.get(key, 0) + 1
                total[key] = total.get(key, 0) + 1
                most[key] = max(most.get(key, 0), now[key])
        try:
            time.sleep(args.hold)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            conn = http.client.HTTPConnection("127.0.0.1", args.upstream_port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            conn.request(method, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            conn.close()
        finally:
            with lock:
                for key in ("*", method):
                    now[key] -= 1
                write_stats()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", resp.getheader("Content-Length", str(len(data))))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = forward


server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.replace(args.port_file + ".tmp", args.port_file)
server.serve_forever()
