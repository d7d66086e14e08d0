#!/usr/bin/python3
"""A fault-injecting HTTP proxy for regdigest's integration tests.

It sits between regdigest and a REAL server (docker-registry or the token
server), forwards every request to --upstream and, for the requests a fault
rule matches, injects that fault. Python 3 standard library only.

Usage:
  fault_proxy.py --upstream http://127.0.0.1:5000 --log FILE
                 [--port 0] [--port-file FILE] [--redirect-port-file FILE]
                 [--control FILE] [--fault SPEC]... [--rewrite-realm URL]

  --log FILE        one JSON line per request (see "Log" below)
  --port-file FILE  the proxy's port is written there once it listens
  --redirect-port-file FILE
                    port of the second listener (the "redirect target")
  --control FILE    fault specs, one per line ('#' comments, blank lines
                    ignored). Re-read on every request: when its text changes
                    the rules are replaced and their counters reset, so one
                    proxy serves many test sections. Used together with any
                    --fault rules (those come first).
  --fault SPEC      a fault rule (repeatable)
  --rewrite-realm URL
                    rewrite realm="..." in every WWW-Authenticate answer to
                    URL, so token requests go through another fault proxy
                    placed in front of the token server

Fault spec: KIND followed by key=value words (shell quoting rules, so
  value="Bearer realm=\"x\",service=y" works), or a JSON object with "kind".
  Keys every kind accepts:
    method=HEAD|GET|...  only requests with this method (default: any)
    path=REGEX           only requests whose path+query matches (re.search)
    skip=N               let the first N matching requests pass untouched
    times=N              inject into N matching requests, then pass (default:
                         every one)
  Kinds:
    status code=N [retry-after=V] [body=TEXT]
        answer N without asking upstream (e.g. 429, 503, HEAD 405)
    slow delay=SECONDS
        wait before forwarding (a client with a shorter timeout gives up)
    reset [after=BYTES]
        forward, send the headers and the first BYTES (default 10) of the
        body, then reset the connection (TCP RST). A bodiless answer (HEAD)
        is cut in the middle of its headers.
    truncate [after=BYTES]
        forward, announce the full Content-Length but send only BYTES
        (default: half the body) and close the connection normally
    strip-header name=NAME
        remove a response header (e.g. Docker-Content-Digest)
    set-header name=NAME value=VALUE
        set a response header (e.g. a wrong Docker-Content-Digest); several
        set-header and strip-header rules may match one request
    headers count=N [size=BYTES]
        add N header fields X-Fault-1..N with values of BYTES (default 10)
        characters (header count and size caps)
    body value=TEXT [digest=fix|keep|strip]
        replace the response body (e.g. malformed JSON); Content-Length is
        recomputed and Docker-Content-Digest made to match the new bytes
        (fix, the default), left as it was (keep) or removed (strip)
    oversize bytes=N [length=1|0]
        replace the body by N bytes of JSON-ish padding, with a
        Content-Length (length=1, default) or close-delimited (length=0)
    www-authenticate value=TEXT [force=1]
        replace the WWW-Authenticate header of an upstream answer that has
        one; force=1 answers 401 with it without asking upstream
    redirect [host=127.0.0.1] [query=TEXT]
        fetch the real answer from upstream (with the client's headers),
        keep it, and answer 307 to the same path on the second listener at
        host:port, which serves those bytes and logs whether the client
        sent Authorization there (a storage/CDN redirect); query=TEXT is
        added to the Location's query (a presigned URL, e.g.
        query=X-Amz-Signature=SECRET)

Log: one JSON object a line: time, listener ("proxy" | "redirect-target"),
  method, path, status (null when the connection was reset before a status
  line), authorization (true when the request carried an Authorization
  header; the value is never logged), faults (kinds applied). A line is
  written before its answer is sent, so once a client has an answer (or
  its connection was reset) the line is in the log.

Example:
  fault_proxy.py --upstream "$REG_URL" --port-file p --log l \
      --fault 'status code=429 retry-after=1 times=2 method=HEAD'
"""

import argparse
import hashlib
import http.client
import json
import os
import re
import shlex
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer",
              "upgrade", "proxy-connection", "proxy-authenticate", "proxy-authorization"}
KINDS = {"status", "slow", "reset", "truncate", "strip-header", "set-header", "headers", "body",
         "oversize", "www-authenticate", "redirect"}
COMMON_KEYS = {"method", "path", "skip", "times"}
KIND_KEYS = {
    "status": {"code", "retry-after", "body"}, "slow": {"delay"}, "reset": {"after"},
    "truncate": {"after"}, "strip-header": {"name"}, "set-header": {"name", "value"},
    "headers": {"count", "size"},
    "body": {"value", "digest"}, "oversize": {"bytes", "length"},
    "www-authenticate": {"value", "force"}, "redirect": {"host", "query"},
}
REQUIRED = {"status": {"code"}, "slow": {"delay"}, "strip-header": {"name"}, "headers": {"count"},
            "set-header": {"name", "value"}, "body": {"value"}, "oversize": {"bytes"},
            "www-authenticate": {"value"}}


class Rule:
    def __init__(self, spec):
        spec = spec.strip()
        if spec.startswith("{"):
            opts = {k: str(v) for k, v in json.loads(spec).items()}
            kind = opts.pop("kind", "")
        else:
            words = shlex.split(spec)
            if not words:
                raise ValueError("empty fault spec")
            kind, opts = words[0], {}
            for word in words[1:]:
                key, sep, value = word.partition("=")
                if not sep:
                    raise ValueError(f"{spec!r}: expected key=value, got {word!r}")
                opts[key] = value
        if kind not in KINDS:
            raise ValueError(f"{spec!r}: unknown fault kind {kind!r}")
        unknown = set(opts) - COMMON_KEYS - KIND_KEYS[kind]
        if unknown:
            raise ValueError(f"{spec!r}: unknown keys {sorted(unknown)}")
        missing = REQUIRED.get(kind, set()) - set(opts)
        if missing:
            raise ValueError(f"{spec!r}: missing keys {sorted(missing)}")
        self.kind, self.opts = kind, opts
        self.method = opts.get("method")
        self.path = re.compile(opts["path"]) if "path" in opts else None
        self.skip = int(opts.get("skip", 0))
        self.times = int(opts["times"]) if "times" in opts else None
        self.seen = 0

    def take(self, method, path):
        """True when this request gets the fault (counts the match)."""
        if self.method and self.method.upper() != method:
            return False
        if self.path and not self.path.search(path):
            return False
        self.seen += 1
        if self.seen <= self.skip:
            return False
        return self.times is None or self.seen - self.skip <= self.times


class Faults:
    """The active rules: --fault ones plus the control file's."""

    def __init__(self, fixed_specs, control_path):
        self.fixed = [Rule(s) for s in fixed_specs]
        self.control_path = control_path
        self.control_text = None
        self.control_rules = []
        self.lock = threading.Lock()

    def pick(self, method, path):
        with self.lock:
            if self.control_path:
                try:
                    with open(self.control_path, encoding="utf-8") as f:
                        text = f.read()
                except FileNotFoundError:
                    text = ""
                if text != self.control_text:
                    rules = []
                    for line in text.splitlines():
                        if line.strip() and not line.strip().startswith("#"):
                            rules.append(Rule(line))
                    self.control_text, self.control_rules = text, rules
            return [r for r in self.fixed + self.control_rules if r.take(method, path)]


class Answer:
    def __init__(self, status, reason, headers, body):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    def set_header(self, name, value):
        self.strip_header(name)
        self.headers.append((name, value))

    def strip_header(self, name):
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]

    def get_header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


class Proxy:
    def __init__(self, args):
        self.upstream = urllib.parse.urlsplit(args.upstream)
        self.faults = Faults(args.fault or [], args.control)
        self.rewrite_realm = args.rewrite_realm
        self.log_path = args.log
        self.log_lock = threading.Lock()
        self.parked = {}  # path -> Answer, served once by the redirect target
        self.parked_lock = threading.Lock()
        self.redirect_port = 0

    def log(self, **fields):
        fields = {"time": round(time.time(), 3), **fields}
        with self.log_lock, open(self.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(fields) + "\n")

    def fetch(self, method, path, headers, body):
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port or 80,
                                          timeout=60)
        try:
            out = {k: v for k, v in headers if k.lower() not in HOP_BY_HOP | {"host"}}
            out["Host"] = self.upstream.netloc
            conn.request(method, path, body=body, headers=out)
            resp = conn.getresponse()
            data = resp.read()
            kept = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
            if method != "HEAD":
                kept = [(k, v) for k, v in kept if k.lower() != "content-length"]
                kept.append(("Content-Length", str(len(data))))
            return Answer(resp.status, resp.reason, kept, data)
        finally:
            conn.close()

    def do_rewrite_realm(self, answer):
        value = answer.get_header("WWW-Authenticate")
        if self.rewrite_realm and value:
            answer.set_header("WWW-Authenticate", re.sub(
                r'realm="[^"]*"', f'realm="{self.rewrite_realm}"', value))


def replace_body(answer, data, digest_mode="fix", length=True):
    answer.body = data
    answer.strip_header("Content-Length")
    if length:
        answer.headers.append(("Content-Length", str(len(data))))
    if answer.get_header("Docker-Content-Digest") is not None:
        if digest_mode == "fix":
            answer.set_header("Docker-Content-Digest",
                              "sha256:" + hashlib.sha256(data).hexdigest())
        elif digest_mode == "strip":
            answer.strip_header("Docker-Content-Digest")


def make_handler(proxy, listener):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep stderr quiet
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            self.close_connection = True
            has_auth = "Authorization" in self.headers
            entry = {"listener": listener, "method": self.command, "path": self.path,
                     "authorization": has_auth}
            try:
                answer, by_kind, applied = self.serve(body)
            except ValueError as e:  # a bad control-file spec: fail loudly
                print(f"fault_proxy: {e}", file=sys.stderr)
                data = f"fault_proxy: {e}\n".encode()
                answer = Answer(500, "Bad Fault Spec", [("Content-Length", str(len(data)))], data)
                by_kind, applied = {}, ["bad-spec"]
            cut_in_headers = "reset" in by_kind and (self.command == "HEAD" or not answer.body)
            # Logged before the answer goes out, so a client that has its answer
            # can count on the log line being there.
            proxy.log(**entry, status=None if cut_in_headers else answer.status, faults=applied)
            try:
                self.send(answer, by_kind)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                pass  # the client gave up (e.g. its timeout passed during a slow fault)

        def serve(self, body):
            headers = list(self.headers.items())
            if listener == "redirect-target":
                with proxy.parked_lock:
                    answer = proxy.parked.pop(self.path, None)
                if answer is None:
                    answer = proxy.fetch(self.command, self.path, headers, body)
                return answer, {}, []
            rules = proxy.faults.pick(self.command, self.path)
            applied = [r.kind for r in rules]
            by_kind = {}
            for r in rules:
                by_kind.setdefault(r.kind, r.opts)
            if "slow" in by_kind:
                time.sleep(float(by_kind["slow"]["delay"]))
            answer = self.direct_answer(by_kind)
            if answer is None:
                answer = proxy.fetch(self.command, self.path, headers, body)
                proxy.do_rewrite_realm(answer)
                if "redirect" in by_kind:
                    target = self.path
                    if by_kind["redirect"].get("query"):
                        target += ("&" if "?" in target else "?") + by_kind["redirect"]["query"]
                    with proxy.parked_lock:
                        proxy.parked[target] = answer
                    host = by_kind["redirect"].get("host", "127.0.0.1")
                    location = f"http://{host}:{proxy.redirect_port}{target}"
                    answer = Answer(307, "Temporary Redirect",
                                    [("Location", location), ("Content-Length", "0")], b"")
                else:
                    self.modify(answer, by_kind, rules)
            return answer, by_kind, applied

        def direct_answer(self, by_kind):
            if "status" in by_kind:
                o = by_kind["status"]
                code = int(o["code"])
                data = o.get("body", "").encode()
                hdrs = [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))]
                if "retry-after" in o:
                    hdrs.append(("Retry-After", o["retry-after"]))
                return Answer(code, http.HTTPStatus(code).phrase if code in
                              http.HTTPStatus._value2member_map_ else "Fault", hdrs, data)
            o = by_kind.get("www-authenticate")
            if o and o.get("force") == "1":
                data = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'
                return Answer(401, "Unauthorized",
                              [("WWW-Authenticate", o["value"]),
                               ("Content-Type", "application/json"),
                               ("Content-Length", str(len(data)))], data)
            return None

        def modify(self, answer, by_kind, rules):
            for r in rules:
                if r.kind == "strip-header":
                    answer.strip_header(r.opts["name"])
                elif r.kind == "set-header":
                    answer.set_header(r.opts["name"], r.opts["value"])
            if "headers" in by_kind:
                o = by_kind["headers"]
                for i in range(1, int(o["count"]) + 1):
                    answer.headers.append((f"X-Fault-{i}", "v" * int(o.get("size", 10))))
            o = by_kind.get("www-authenticate")
            if o and answer.get_header("WWW-Authenticate") is not None:
                answer.set_header("WWW-Authenticate", o["value"])
            if "body" in by_kind:
                o = by_kind["body"]
                replace_body(answer, o["value"].encode(), o.get("digest", "fix"))
            if "oversize" in by_kind:
                o = by_kind["oversize"]
                n = int(o["bytes"])
                data = b'{"pad":"' + b"a" * max(0, n - 10) + b'"}'
                replace_body(answer, data[:n] if n < len(data) else data, "keep",
                             o.get("length", "1") == "1")

        def send(self, answer, by_kind):
            head = f"HTTP/1.1 {answer.status} {answer.reason}\r\n"
            for k, v in answer.headers:
                head += f"{k}: {v}\r\n"
            head += "Connection: close\r\n\r\n"
            raw_head = head.encode("latin-1")
            data = answer.body if self.command != "HEAD" else b""
            sock = self.connection
            if "reset" in by_kind:
                after = int(by_kind["reset"].get("after", 10))
                if data:
                    sock.sendall(raw_head + data[:after])
                else:
                    sock.sendall(raw_head[:len(raw_head) // 2])
                time.sleep(0.05)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
                return
            if "truncate" in by_kind:
                after = int(by_kind["truncate"].get("after", len(data) // 2))
                sock.sendall(raw_head + data[:after])
                sock.shutdown(socket.SHUT_WR)
                return
            sock.sendall(raw_head + data)

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--redirect-port-file")
    parser.add_argument("--log", required=True)
    parser.add_argument("--control")
    parser.add_argument("--fault", action="append")
    parser.add_argument("--rewrite-realm")
    args = parser.parse_args()
    try:
        proxy = Proxy(args)
    except ValueError as e:
        print(f"fault_proxy: {e}", file=sys.stderr)
        return 2
    target = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(proxy, "redirect-target"))
    target.daemon_threads = True
    proxy.redirect_port = target.server_address[1]
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(proxy, "proxy"))
    server.daemon_threads = True
    threading.Thread(target=target.serve_forever, daemon=True).start()
    if args.redirect_port_file:
        with open(args.redirect_port_file + ".tmp", "w", encoding="utf-8") as f:
            f.write(f"{proxy.redirect_port}\n")
        os.replace(args.redirect_port_file + ".tmp", args.redirect_port_file)
    if args.port_file:
        with open(args.port_file + ".tmp", "w", encoding="utf-8") as f:
            f.write(f"{server.server_address[1]}\n")
        os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
