"""A fake OAuth 2.0 provider on 127.0.0.1 (real sockets), shaped like Google's and Microsoft's.

- GET /authorize: checks client_id, redirect_uri, response_type=code and a S256 PKCE
  challenge, then redirects to redirect_uri with `code` and `state` (the account signed in
  is `login_hint`, else `default_email`);
- POST /token: `authorization_code` (client secret, redirect_uri and the PKCE verifier
  checked) and `refresh_token` grants; `refuse_refresh` makes refreshes answer 400
  `invalid_grant` as a revoked grant does; an `id_token` names the account;
- GET /tokeninfo?access_token=…: what Dovecot's oauth2 passdb asks ({"email", "active"}),
  401 for an unknown or expired token. The SMTP fake checks XOAUTH2 with `email_for`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unsigned_jwt(claims: dict) -> str:
    """An id_token as a token endpoint returns it (signature not checked by the client:
    it came straight from the provider over TLS, OpenID Connect Core 3.1.3.7)."""
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}.sig"


class FakeOAuth:
    """Authorize, token and tokeninfo endpoints; every grant and call is recorded."""

    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.client_id, self.client_secret = client_id, client_secret
        self.default_email = "owner@example.test"
        self.expires_in = 3600
        self.refuse_refresh = False  # refreshes answer 400 invalid_grant
        self.rotate = False  # refreshes issue a new refresh token and retire the old one
        self.lock = threading.Lock()
        self.codes: dict[str, dict] = {}
        self.refresh_tokens: dict[str, str] = {}  # token -> email
        self.access_tokens: dict[str, tuple[str, float]] = {}  # token -> (email, expiry)
        self.token_calls: list[dict] = []  # every POST /token form, as sent
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self) -> None:
        with self.lock:
            self.expires_in, self.refuse_refresh, self.rotate = 3600, False, False
            self.token_calls = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeOAuth:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- tokens -----------------------------------------------------------------------
    def issue(self, email: str) -> dict:
        """A fresh grant for `email` (as a completed consent would give)."""
        refresh = "rt-" + secrets.token_urlsafe(16)
        with self.lock:
            self.refresh_tokens[refresh] = email
        return {**self._access(email), "refresh_token": refresh}

    def _access(self, email: str) -> dict:
        token = "at-" + secrets.token_urlsafe(16)
        with self.lock:
            self.access_tokens[token] = (email, time.time() + self.expires_in)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": "mail",
            "id_token": unsigned_jwt({"email": email, "sub": email}),
        }

    def email_for(self, access_token: str) -> str | None:
        """The account a valid access token stands for, None when unknown or expired."""
        with self.lock:
            found = self.access_tokens.get(access_token)
        if found is None or found[1] < time.time():
            return None
        return found[0]

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens = {t: (e, 0.0) for t, (e, _) in self.access_tokens.items()}

    # -- endpoints --------------------------------------------------------------------
    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        one = {k: v[0] for k, v in query.items()}
        problems = [
            name
            for name, ok in (
                ("client_id", one.get("client_id") == self.client_id),
                ("response_type", one.get("response_type") == "code"),
                ("redirect_uri", bool(one.get("redirect_uri"))),
                ("code_challenge_method", one.get("code_challenge_method") == "S256"),
                ("code_challenge", len(one.get("code_challenge", "")) >= 43),
            )
            if not ok
        ]
        if problems:
            return 400, {}, f"bad authorize request: {', '.join(problems)}".encode()
        code = "code-" + secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = {
                "challenge": one["code_challenge"],
                "redirect_uri": one["redirect_uri"],
                "email": one.get("login_hint") or self.default_email,
                "scope": one.get("scope", ""),
            }
        joiner = "&" if "?" in one["redirect_uri"] else "?"
        target = one["redirect_uri"] + joiner + urlencode({"code": code, "state": one.get("state")})
        return 302, {"Location": target}, b""

    def token(self, form: dict) -> tuple[int, dict]:
        one = {k: v[0] for k, v in form.items()}
        with self.lock:
            self.token_calls.append(one)
        if (one.get("client_id"), one.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        grant = one.get("grant_type")
        if grant == "authorization_code":
            return self._code_grant(one)
        if grant == "refresh_token":
            return self._refresh_grant(one)
        return 400, {"error": "unsupported_grant_type"}

    def _code_grant(self, one: dict) -> tuple[int, dict]:
        with self.lock:
            grant = self.codes.pop(one.get("code", ""), None)  # a code works once
        if grant is None or grant["redirect_uri"] != one.get("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "Bad code."}
        verifier = one.get("code_verifier", "").encode()
        if _b64(hashlib.sha256(verifier).digest()) != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE check failed."}
        return 200, self.issue(grant["email"])

    def _refresh_grant(self, one: dict) -> tuple[int, dict]:
        with self.lock:
            email = self.refresh_tokens.get(one.get("refresh_token", ""))
            if self.rotate and email is not None and not self.refuse_refresh:
                del self.refresh_tokens[one["refresh_token"]]
        if self.refuse_refresh or email is None:
            return 400, {
                "error": "invalid_grant",
                "error_description": "Token has been expired or revoked.",
            }
        if self.rotate:
            return 200, self.issue(email)
        return 200, self._access(email)

    def tokeninfo(self, query: dict) -> tuple[int, dict]:
        email = self.email_for((query.get("access_token") or [""])[0])
        if email is None:
            return 401, {"error": "invalid_token"}
        return 200, {"email": email, "active": True}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def _send(self, status: int, headers: dict, body: bytes, kind="application/json"):
                self.send_response(status)
                for name, value in {"Content-Type": kind, **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if parts.path == "/authorize":
                    status, headers, body = fake.authorize(query)
                    return self._send(status, headers, body, "text/plain")
                if parts.path == "/tokeninfo":
                    status, answer = fake.tokeninfo(query)
                    return self._send(status, {}, json.dumps(answer).encode())
                return self._send(404, {}, b"{}")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                if urlsplit(self.path).path != "/token":
                    return self._send(404, {}, b"{}")
                status, answer = fake.token(form)
                return self._send(
                    status, {"Cache-Control": "no-store"}, json.dumps(answer).encode()
                )

        return Handler
