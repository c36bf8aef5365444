"""Signed clients: one over Flask's test client, one over real HTTP (requests)."""

from __future__ import annotations

import json as jsonlib
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from service.signing import sign_headers

ALL_CAPS = (
    "outreach.view,outreach.edit,outreach.delete,outreach.send,outreach.templates,"
    "outreach.sequences,outreach.settings"
)


@dataclass
class SiteKey:
    """A registered site and one of its keys."""

    site_id: int
    key_id: str
    secret: str


def fresh_nonce() -> str:
    """A random nonce of the allowed shape."""
    return secrets.token_urlsafe(18)


def encode(json=None, data: bytes | None = None) -> bytes:
    """The request body bytes."""
    if data is not None:
        return data
    return b"" if json is None else jsonlib.dumps(json).encode()


class SignedTestClient:
    """Signs and sends requests through Flask's test client."""

    def __init__(self, flask_client, key: SiteKey, clock=None, caps: str = ALL_CAPS, user: int = 1):
        self.client, self.key, self.clock = flask_client, key, clock
        self.caps, self.user = caps, user

    def _now(self) -> int:
        return int(self.clock.now().timestamp()) if self.clock else int(time.time())

    def headers_for(self, method, path, query="", body=b"", **over) -> dict:
        """The signed headers (overrides: caps, user, timestamp, nonce, key)."""
        key = over.get("key", self.key)
        return sign_headers(
            key.secret,
            key.key_id,
            method,
            path,
            query,
            body,
            timestamp=over.get("timestamp", self._now()),
            nonce=over.get("nonce", fresh_nonce()),
            user=over.get("user", self.user),
            caps=over.get("caps", self.caps),
        )

    def prepare(self, method, path, json=None, query=None, data=None, headers=None, **over):
        """(path?query, body, signed headers); `query` is a dict or an encoded string."""
        body = encode(json, data)
        qs = query if isinstance(query, str) else urlencode(query or {}, doseq=True)
        signed = self.headers_for(method, path, qs, body, **over)
        signed.update(headers or {})
        if body:
            signed.setdefault("Content-Type", "application/json")
        return path + (f"?{qs}" if qs else ""), body, signed

    def request(self, method, path, json=None, query=None, data=None, headers=None, **over):
        """Send one signed request through the test client."""
        url, body, signed = self.prepare(method, path, json, query, data, headers, **over)
        return self.client.open(url, method=method, data=body, headers=signed)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class SignedHttpClient(SignedTestClient):
    """The same over a real socket with `requests` against a running server."""

    def __init__(self, base_url: str, key: SiteKey, caps: str = ALL_CAPS, user: int = 1):
        import requests

        super().__init__(None, key, None, caps, user)
        self.base_url, self.http = base_url.rstrip("/"), requests.Session()
        self.http.trust_env = False

    def request(self, method, path, json=None, query=None, data=None, headers=None, **over):
        """Send one signed request over the socket."""
        url, body, signed = self.prepare(method, path, json, query, data, headers, **over)
        return self.http.request(method, self.base_url + url, data=body, headers=signed, timeout=30)
