#!/usr/bin/python3
"""A registry look-alike whose manifests and blobs are redirects to presigned
storage URLs that never work, for regdigest's terminal-safety test: every
message and log line about them must show the URLs without their query
(X-Amz-Signature=...). Python 3 standard library only.

Usage: redirect_server.py --port-file FILE [--secret TEXT]

  GET /v2/                          200 {}
  /v2/loop/.../manifests/...        307 to /storage/1?X-Amz-Signature=SECRET,
  /storage/N?...                    which redirects to /storage/N+1?... forever
  /v2/badport/.../manifests/...     307 to /storage/bad?X-Amz-Signature=SECRET,
  /storage/bad?...                  which redirects to port 99999 (unusable)
  /v2/refused/.../manifests/...     307 to a closed port, with the signature
  anything else                     404
"""
import argparse
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--secret", default="SECRET")
    args = parser.parse_args()
    query = "X-Amz-Signature=" + args.secret + "&X-Amz-Credential=" + args.secret
    refused = closed_port()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *unused):
            pass

        def answer(self, status, location=None, body=b""):
            self.send_response(status)
            if location is not None:
                self.send_header("Location", location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def handle_any(self):
            path = self.path.split("?", 1)[0]
            parts = path.split("/")
            if path == "/v2/":
                self.answer(200, body=b"{}")
            elif path.startswith("/v2/loop/"):
                self.answer(307, "/storage/1?" + query)
            elif path.startswith("/v2/badport/"):
                self.answer(307, "/storage/bad?" + query)
            elif path.startswith("/v2/refused/"):
                self.answer(307, "http://127.0.0.1:%d/blob?%s" % (refused, query))
            elif path == "/storage/bad":
                self.answer(307, "http://127.0.0.1:99999/blob?" + query)
            elif len(parts) == 3 and parts[1] == "storage" and parts[2].isdigit():
                self.answer(307, "/storage/%d?%s" % (int(parts[2]) + 1, query))
            else:
                self.answer(404, body=b'{"errors":[{"code":"NAME_UNKNOWN","message":"no"}]}')

        do_GET = handle_any
        do_HEAD = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
