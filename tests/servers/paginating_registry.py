#!/usr/bin/env python3
"""A paginating Registry v2 front for tag-listing tests.

  paginating_registry.py UPSTREAM_PORT PORT_FILE LOG_FILE [--page-size N]

Listens on a free port of 127.0.0.1 (written to PORT_FILE once listening).
The first path component after /v2/ picks how tags/list pages behave; the
rest is the repository on the upstream registry (127.0.0.1:UPSTREAM_PORT,
anonymous), whose whole tag list is paginated here:

  /v2/relative/<repo>/tags/list   Link: </v2/relative/<repo>/tags/list?n=..&last=..>
  /v2/absolute/<repo>/tags/list   Link: <http://127.0.0.1:PORT/v2/absolute/...>
  /v2/nolink/<repo>/tags/list     pages of exactly n (after last), no Link
  /v2/foreign/<repo>/tags/list    page 1 links to http://foreign.invalid:PORT/...
  /v2/repeat/<repo>/tags/list     page 2 (?page=2) is page 1 again, linking to ?page=3
  /v2/loop/<repo>/tags/list       page 2 links back to page 1's URL
  /v2/endless/<repo>/tags/list    every page links to one more page of new tags

Other pages hold at most min(n, --page-size) tags (default 7), so a page shorter
than n still has a next page. Every other /v2/<mode>/<repo>/... request
(manifests, blobs; HEAD and GET) is proxied to /v2/<repo>/... upstream.
Each request is appended to LOG_FILE as "METHOD PATH".
"""
import argparse
import os
import http.client
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("upstream_port", type=int)
parser.add_argument("port_file")
parser.add_argument("log_file")
parser.add_argument("--page-size", type=int, default=7)
args = parser.parse_args()
lock = threading.Lock()
MODES = ("relative", "absolute", "nolink", "foreign", "repeat", "loop", "endless")


def upstream(method, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", args.upstream_port, timeout=30)
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per answer, no Nagle: header and body in separate small
    # writes would wait for a delayed ACK (40 ms a request on keep-alive).
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, *unused):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def handle_any(self):
        with lock, open(args.log_file, "a") as log:
            log.write("%s %s\n" % (self.command, self.path))
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/v2/", "/v2"):
            return self.send(200, b"{}", [("Content-Type", "application/json")])
        parts = url.path.split("/")
        if len(parts) < 4 or parts[1] != "v2" or parts[2] not in MODES:
            return self.send(404, b'{"errors":[{"code":"NAME_UNKNOWN","message":"no mode"}]}',
                             [("Content-Type", "application/json")])
        mode, rest = parts[2], "/".join(parts[3:])
        if rest.endswith("/tags/list"):
            return self.tags(mode, rest[:-len("/tags/list")], urllib.parse.parse_qs(url.query))
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept",)}
        response, body = upstream(self.command, "/v2/" + rest, headers)
        keep = [(k, v) for k, v in response.getheaders()
                if k.lower() in ("content-type", "docker-content-digest")]
        if self.command == "HEAD":
            # Content-Length of the upstream answer, with no body.
            self.send_response(response.status)
            for k, v in keep:
                self.send_header(k, v)
            self.send_header("Content-Length", response.getheader("Content-Length", "0"))
            self.end_headers()
            return
        self.send(response.status, body, keep)

    def tags(self, mode, repo, query):
        n = int(query.get("n", ["100"])[0])
        size = max(1, n if mode == "nolink" else min(n, args.page_size))
        last = query.get("last", [""])[0]
        page = query.get("page", ["1"])[0]
        base = "/v2/%s/%s/tags/list" % (mode, repo)
        if mode == "endless":
            k = int(last[1:]) if last.startswith("e") else 0
            tags = ["e%d" % (k + i + 1) for i in range(size)]
            link = "<%s?n=%d&last=%s>; rel=\"next\"" % (base, n, tags[-1])
            return self.page(repo, tags, link)
        response, body = upstream("GET", "/v2/%s/tags/list" % repo, {})
        if response.status != 200:
            return self.send(response.status, body, [("Content-Type", "application/json")])
        every = sorted(json.loads(body).get("tags") or [])
        if mode == "repeat" and page in ("2", "3"):
            if page == "3":
                return self.page(repo, [], None)
            return self.page(repo, every[:size], "<%s?page=3>; rel=\"next\"" % base)
        if mode == "loop" and page == "2":
            return self.page(repo, every[size:2 * size], "<%s?n=%d>; rel=\"next\"" % (base, n))
        rest = [t for t in every if t > last] if last else every
        tags = rest[:size]
        link = None
        if len(rest) > size:
            target = "%s?n=%d&last=%s" % (base, n, urllib.parse.quote(tags[-1]))
            if mode == "relative":
                link = "<%s>; rel=\"next\"" % target
            elif mode == "absolute":
                link = "<http://127.0.0.1:%d%s>; rel=\"next\"" % (self.server.server_port, target)
            elif mode == "foreign":
                link = "<http://foreign.invalid:%d%s>; rel=\"next\"" % (
                    self.server.server_port, target)
            elif mode in ("repeat", "loop"):
                link = "<%s?page=2&n=%d>; rel=\"next\"" % (base, n)
        self.page(repo, tags, link)

    def page(self, repo, tags, link):
        body = json.dumps({"name": repo, "tags": tags}).encode()
        headers = [("Content-Type", "application/json")]
        if link:
            headers.append(("Link", link))
        self.send(200, body, headers)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.replace(args.port_file + ".tmp", args.port_file)
server.serve_forever()
