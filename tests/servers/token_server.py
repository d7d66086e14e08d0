#!/usr/bin/python3
"""A small Docker Registry v2 token server for integration tests.

Implements the token flow of the Docker token authentication spec
(https://distribution.github.io/distribution/spec/auth/token/) and the
OAuth2 variant (POST /token, grant_type=refresh_token|password), enough for
docker/distribution 2.8 configured with `auth.token`.

Tokens are RS256 JWTs whose header carries `x5c` = [base64 DER of --cert];
the registry's `auth.token.rootcertbundle` must be that certificate.

Every request is logged as one JSON line to --log (never passwords or
tokens). Run with /usr/bin/python3 (needs python3-jwt, python3-cryptography).

Switches for fault tests:
  --expires-in N          the registry accepts a token for N seconds: the JWT
                          `exp` is now + N - --registry-leeway, because
                          docker/distribution accepts tokens up to 60 s past
                          `exp`; the response says "expires_in": N
  --token-field F         token | access_token | both (default)
  --omit-expires-in       no "expires_in" in the response
  --max-scopes-per-token N  grant only the first N scopes of one request (as
                          token servers that cap a token's size do); the
                          others get no access, so the registry answers
                          error="insufficient_scope"
  --delay S               wait S seconds before answering a token request
  --issued-log FILE       append every issued access and refresh token, one
                          per line (for tests proving no token leaks)
"""

import argparse
import base64
import binascii
import datetime
import fnmatch
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization

ALL_ACTIONS = ["pull", "push", "delete", "*"]


def rfc3339(ts):
    return (datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
            .strftime("%Y-%m-%dT%H:%M:%SZ"))


def parse_scope(text):
    """'repository:name:pull,push' -> (type, name, [actions]) or None.

    The resource type may carry a class ("repository(plugin)"); the name may
    not contain ':' in practice, but we split on the first and last colon.
    """
    first = text.find(":")
    last = text.rfind(":")
    if first <= 0 or last == first:
        return None
    rtype = text[:first]
    name = text[first + 1:last]
    actions = [a for a in text[last + 1:].split(",") if a]
    if not name or not actions:
        return None
    return rtype, name, actions


class Policy:
    """Users, ACL and issued refresh tokens."""

    def __init__(self, users, acl):
        self.users = users  # name -> password
        self.public = acl.get("public", [])
        self.grants = acl.get("grants")  # None: any valid user gets all
        self.refresh_tokens = {}  # token -> user
        self.lock = threading.Lock()

    def check_password(self, user, password):
        expected = self.users.get(user)
        return expected is not None and secrets.compare_digest(
            expected.encode(), password.encode())

    def new_refresh_token(self, user):
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.refresh_tokens[token] = user
        return token

    def user_for_refresh_token(self, token):
        with self.lock:
            return self.refresh_tokens.get(token)

    def allowed(self, user, rtype, name):
        """Actions `user` (None = anonymous) may perform on rtype:name."""
        allowed = set()
        if rtype == "repository":
            if any(fnmatch.fnmatchcase(name, g) for g in self.public):
                allowed.add("pull")
        if user is not None:
            if self.grants is None:
                allowed.update(ALL_ACTIONS)
            else:
                for pattern, actions in self.grants.get(user, {}).items():
                    ptype, _, pname = pattern.rpartition(":")
                    ptype = ptype or "repository"
                    if ptype == rtype and fnmatch.fnmatchcase(name, pname):
                        allowed.update(actions)
        return allowed

    def grant(self, user, scopes):
        access = []
        for text in scopes:
            parsed = parse_scope(text)
            if parsed is None:
                continue
            rtype, name, actions = parsed
            allowed = self.allowed(user, rtype, name)
            if "*" in allowed:
                granted = actions
            else:
                granted = [a for a in actions if a in allowed]
            access.append({"type": rtype, "name": name, "actions": granted})
        return access


class TokenHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rd-token-server/1"

    # ---- plumbing -------------------------------------------------------
    def log_message(self, fmt, *args):  # silence default stderr logging
        pass

    def _send_json(self, status, body, extra_headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _log(self, entry):
        cfg = self.server.cfg
        entry = dict(entry)
        entry.setdefault("time", rfc3339(time.time()))
        entry.setdefault("method", self.command)
        entry.setdefault("path", urllib.parse.urlsplit(self.path).path)
        line = json.dumps(entry, sort_keys=True)
        with self.server.log_lock:
            if cfg.log:
                with open(cfg.log, "a", encoding="utf-8") as f:
                    f.write(line + "\n")
            if cfg.verbose:
                print(line, file=sys.stderr, flush=True)

    def _basic_auth(self):
        """Returns (user, password) from a Basic header, None if absent,
        or False if the header is malformed."""
        header = self.headers.get("Authorization")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        if not sep:
            return False
        return user, password

    # ---- token issuing --------------------------------------------------
    def _issue(self, user, scopes, service):
        cfg = self.server.cfg
        now = int(time.time())
        granted_scopes = scopes
        if cfg.max_scopes_per_token is not None:
            granted_scopes = scopes[:cfg.max_scopes_per_token]
        access = self.server.policy.grant(user, granted_scopes)
        claims = {
            "iss": cfg.issuer,
            "sub": user or "",
            "aud": service,
            "exp": now + cfg.expires_in - cfg.registry_leeway,
            "nbf": now - 10,
            "iat": now,
            "jti": secrets.token_hex(16),
            "access": access,
        }
        token = jwt.encode(claims, self.server.signing_key, algorithm="RS256",
                           headers={"x5c": [self.server.cert_b64]})
        body = {}
        if cfg.token_field in ("token", "both"):
            body["token"] = token
        if cfg.token_field in ("access_token", "both"):
            body["access_token"] = token
        if not cfg.omit_expires_in:
            body["expires_in"] = cfg.expires_in
        body["issued_at"] = rfc3339(now)
        self._record_issued(token)
        return body, access

    def _record_issued(self, token):
        """Appends an issued secret to --issued-log (tests grep for it)."""
        cfg = self.server.cfg
        if cfg.issued_log:
            with self.server.log_lock:
                with open(cfg.issued_log, "a", encoding="utf-8") as f:
                    f.write(token + "\n")

    def _delay(self):
        if self.server.cfg.delay > 0:
            time.sleep(self.server.cfg.delay)

    def _fail(self, status, code, message, log):
        log["status"] = status
        log["error"] = message
        self._log(log)
        headers = {}
        if status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="rd-token-server"'
        self._send_json(status, {"errors": [{"code": code,
                                             "message": message}],
                                 "error": code.lower(),
                                 "details": message}, headers)

    def _check_service(self, service, log):
        cfg = self.server.cfg
        if service != cfg.service:
            self._fail(400, "INVALID_SERVICE",
                       "service %r is not %r" % (service, cfg.service), log)
            return False
        return True

    def _scopes(self, values, log):
        """Splits scope params (repeatable, each may be space-separated)."""
        if len(values) > 1 and self.server.cfg.no_multi_scope:
            self._fail(400, "INVALID_REQUEST",
                       "only one scope parameter is accepted", log)
            return None
        scopes = []
        for v in values:
            scopes.extend(s for s in v.split(" ") if s)
        log["scopes"] = scopes
        return scopes

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        log = {"grant_type": "basic_get", "user": None, "scopes": []}
        if url.path == "/healthz":  # readiness probe, not logged
            return self._send_json(200, {"ok": True})
        if url.path != "/token":
            return self._fail(404, "NOT_FOUND", "no such endpoint", log)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        scopes = self._scopes(params.get("scope", []), log)
        if scopes is None:
            return
        service = params.get("service", [""])[0]
        log["service"] = service
        log["account"] = params.get("account", [None])[0]
        offline = params.get("offline_token", ["false"])[0] == "true"
        log["offline_token"] = offline
        creds = self._basic_auth()
        user = None
        if creds is False:
            return self._fail(401, "UNAUTHORIZED",
                              "malformed Authorization header", log)
        if creds is not None:
            log["user"] = creds[0]
            if creds[0] not in self.server.policy.users:
                return self._fail(401, "UNAUTHORIZED", "unknown user", log)
            if not self.server.policy.check_password(*creds):
                return self._fail(401, "UNAUTHORIZED",
                                  "incorrect username or password", log)
            user = creds[0]
        else:
            log["grant_type"] = "anonymous"
        if not self._check_service(service, log):
            return
        self._delay()
        body, access = self._issue(user, scopes, service)
        if offline and user is not None:
            body["refresh_token"] = self.server.policy.new_refresh_token(user)
            self._record_issued(body["refresh_token"])
            log["refresh_token_issued"] = True
        log["granted"] = access
        log["status"] = 200
        self._log(log)
        self._send_json(200, body)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        log = {"grant_type": None, "user": None, "scopes": []}
        if url.path != "/token":
            return self._fail(404, "NOT_FOUND", "no such endpoint", log)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        form = urllib.parse.parse_qs(raw, keep_blank_values=True)
        grant_type = form.get("grant_type", [""])[0]
        log["grant_type"] = grant_type
        log["client_id"] = form.get("client_id", [None])[0]
        scopes = self._scopes(form.get("scope", []), log)
        if scopes is None:
            return
        service = form.get("service", [""])[0]
        log["service"] = service
        policy = self.server.policy
        refresh = None
        if grant_type == "refresh_token":
            refresh = form.get("refresh_token", [""])[0]
            user = policy.user_for_refresh_token(refresh)
            if user is None:
                return self._fail(400, "INVALID_GRANT",
                                  "unknown refresh token", log)
            log["user"] = user
        elif grant_type == "password":
            user = form.get("username", [""])[0]
            password = form.get("password", [""])[0]
            log["user"] = user
            if not policy.check_password(user, password):
                return self._fail(401, "UNAUTHORIZED",
                                  "incorrect username or password", log)
            if form.get("access_type", [""])[0] == "offline":
                refresh = policy.new_refresh_token(user)
                self._record_issued(refresh)
                log["refresh_token_issued"] = True
        else:
            return self._fail(400, "UNSUPPORTED_GRANT_TYPE",
                              "unsupported grant_type %r" % grant_type, log)
        if not self._check_service(service, log):
            return
        self._delay()
        body, access = self._issue(user, scopes, service)
        body["scope"] = " ".join(scopes)
        if refresh is not None:
            body["refresh_token"] = refresh
        log["granted"] = access
        log["status"] = 200
        self._log(log)
        self._send_json(200, body)


def load_users(path):
    users = {}
    if not path:
        return users
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            user, sep, password = line.partition(":")
            if sep:
                users[user] = password
    return users


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0,
                    help="port on 127.0.0.1 (0: pick a free one)")
    ap.add_argument("--port-file", help="write the bound port here")
    ap.add_argument("--key", required=True, help="PEM RSA signing key")
    ap.add_argument("--cert", required=True,
                    help="PEM certificate of the key (registry rootcertbundle)")
    ap.add_argument("--issuer", default="rd-token-issuer")
    ap.add_argument("--service", default="rd-registry")
    ap.add_argument("--users", help="file of user:password lines")
    ap.add_argument("--acl", help='JSON {"public": [globs], "grants": '
                    '{user: {glob: [actions]}}}; default: users get all')
    ap.add_argument("--log", help="append one JSON line per request")
    ap.add_argument("--expires-in", type=int, default=300,
                    help="seconds the registry accepts a token for")
    ap.add_argument("--registry-leeway", type=int, default=60,
                    help="seconds past exp the registry still accepts a token "
                    "(docker/distribution: 60); subtracted from exp")
    ap.add_argument("--max-scopes-per-token", type=int, default=None,
                    help="grant only the first N scopes of one request")
    ap.add_argument("--delay", type=float, default=0,
                    help="seconds to wait before answering a token request")
    ap.add_argument("--issued-log",
                    help="append every issued token and refresh token here")
    ap.add_argument("--no-multi-scope", action="store_true",
                    help="answer 400 to more than one scope parameter")
    ap.add_argument("--token-field", default="both",
                    choices=["token", "access_token", "both"])
    ap.add_argument("--omit-expires-in", action="store_true")
    ap.add_argument("--verbose", action="store_true",
                    help="also print log lines on stderr")
    cfg = ap.parse_args()

    with open(cfg.key, "rb") as f:
        signing_key = serialization.load_pem_private_key(f.read(), None)
    with open(cfg.cert, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    acl = {}
    if cfg.acl:
        with open(cfg.acl, encoding="utf-8") as f:
            acl = json.load(f)

    server = ThreadingHTTPServer(("127.0.0.1", cfg.port), TokenHandler)
    server.daemon_threads = True
    server.cfg = cfg
    server.policy = Policy(load_users(cfg.users), acl)
    server.signing_key = signing_key
    server.cert_b64 = base64.b64encode(cert_der).decode()
    server.log_lock = threading.Lock()
    port = server.server_address[1]
    if cfg.port_file:
        tmp = cfg.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % port)
        os.replace(tmp, cfg.port_file)
    print("token server listening on 127.0.0.1:%d" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
