"""OAuth 2.0 for Google and Microsoft mailboxes: the authorization-code flow with PKCE
(S256), code exchange, refresh, and the XOAUTH2 string that SMTP and IMAP log in with
(the access-token cache is oauth_tokens.py).

A refused refresh (`invalid_grant`: revoked, expired, password changed) is GrantRefused,
a MailboxBroken carrying the provider's words: the caller sets the mailbox to `error` once
and stops; a token endpoint that is down is OAuthUnavailable (retry later).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from service.mail.mailbox_errors import MailboxBroken, MailboxUnreachable

TIMEOUT = 15.0  # seconds for one token-endpoint call


@dataclass(frozen=True)
class Provider:
    """A provider's endpoints and scopes, and the environment variables that set them."""

    name: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    env: dict[str, str]  # what -> variable name (literal names: docs/mailboxes.md)
    extra: dict[str, str] = field(default_factory=dict)  # authorize parameters
    smtp: tuple[str, int, str] = ("", 0, "")
    imap: tuple[str, int, str] = ("", 0, "")


# `openid email` beside the mail scopes: the id_token then names the account signed in.
GOOGLE = Provider(
    "google",
    "https://accounts.google.com/o/oauth2/v2/auth",
    "https://oauth2.googleapis.com/token",
    ("https://mail.google.com/", "openid", "email"),
    {
        "authorize_url": "OUTREACH_OAUTH_GOOGLE_AUTHORIZE_URL",
        "token_url": "OUTREACH_OAUTH_GOOGLE_TOKEN_URL",
        "client_id": "OUTREACH_OAUTH_GOOGLE_CLIENT_ID",
        "client_secret": "OUTREACH_OAUTH_GOOGLE_CLIENT_SECRET",
    },
    # offline + consent: Google returns a refresh token only on a consent screen.
    {"access_type": "offline", "prompt": "consent"},
    ("smtp.gmail.com", 587, "starttls"),
    ("imap.gmail.com", 993, "tls"),
)
MICROSOFT = Provider(
    "microsoft",
    "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    (
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "offline_access",
        "openid",
        "email",
    ),
    {
        "authorize_url": "OUTREACH_OAUTH_MICROSOFT_AUTHORIZE_URL",
        "token_url": "OUTREACH_OAUTH_MICROSOFT_TOKEN_URL",
        "client_id": "OUTREACH_OAUTH_MICROSOFT_CLIENT_ID",
        "client_secret": "OUTREACH_OAUTH_MICROSOFT_CLIENT_SECRET",
    },
    {"prompt": "select_account"},
    ("smtp.office365.com", 587, "starttls"),
    ("outlook.office365.com", 993, "tls"),
)
PROVIDERS = {p.name: p for p in (GOOGLE, MICROSOFT)}


class GrantRefused(MailboxBroken):
    """The provider refused the grant (`error`, e.g. invalid_grant); its words are kept."""

    def __init__(self, message: str, error: str, status: int | None = None):
        super().__init__(message, status)
        self.error = error


class OAuthUnavailable(MailboxUnreachable):
    """The token endpoint could not be reached or failed: try again later."""


@dataclass(frozen=True)
class OAuthClient:
    """This service registered with one provider (ids and URLs from the environment)."""

    provider: Provider
    client_id: str
    client_secret: str = field(repr=False)
    authorize_url: str
    token_url: str
    timeout: float = TIMEOUT


def client_for(name: str, environ=os.environ) -> OAuthClient | None:
    """The provider's client, None when it has no client id (its button is hidden)."""
    provider = PROVIDERS.get(name)
    if provider is None or not environ.get(provider.env["client_id"]):
        return None
    return OAuthClient(
        provider,
        environ[provider.env["client_id"]],
        environ.get(provider.env["client_secret"]) or "",
        environ.get(provider.env["authorize_url"]) or provider.authorize_url,
        environ.get(provider.env["token_url"]) or provider.token_url,
    )


def configured(environ=os.environ) -> list[str]:
    """Names of the providers this service can connect mailboxes with."""
    return [name for name in PROVIDERS if client_for(name, environ) is not None]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass(frozen=True)
class Pkce:
    verifier: str = field(repr=False)
    challenge: str


def new_pkce() -> Pkce:
    """RFC 7636: a 43-character verifier (256 bits) and its S256 challenge."""
    verifier = _b64url(secrets.token_bytes(32))
    return Pkce(verifier, _b64url(hashlib.sha256(verifier.encode()).digest()))


def new_state() -> str:
    """The `state` that ties the provider's redirect to the flow that started it."""
    return secrets.token_urlsafe(32)


def authorize_url(
    client: OAuthClient, redirect_uri: str, state: str, challenge: str, login_hint=None
) -> str:
    params = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(client.provider.scopes),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **client.provider.extra,
    }
    if login_hint:
        params["login_hint"] = login_hint
    joiner = "&" if "?" in client.authorize_url else "?"
    return client.authorize_url + joiner + urlencode(params)


@dataclass(frozen=True)
class Grant:
    """A token endpoint's answer. `refresh_token` is set when the provider issued a (new)
    one: store it (Microsoft rotates them). `email` is the account, from the id_token."""

    access_token: str = field(repr=False)
    expires_at: float
    refresh_token: str | None = field(default=None, repr=False)
    email: str | None = None
    scope: str = ""


def exchange_code(client: OAuthClient, code: str, redirect_uri: str, verifier: str) -> Grant:
    """The authorization code (with its PKCE verifier) for tokens."""
    return _token_call(
        client,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
    )


def refresh(client: OAuthClient, refresh_token: str) -> Grant:
    """A new access token from the stored refresh token (one call, never a loop)."""
    return _token_call(client, {"grant_type": "refresh_token", "refresh_token": refresh_token})


def _token_call(client: OAuthClient, form: dict) -> Grant:
    # Imported here: an API worker reads configured() for every GET /api/v1/site and must
    # not load httpx for it (tests/project/test_package_imports.py).
    import httpx

    form = {**form, "client_id": client.client_id, "client_secret": client.client_secret}
    name = client.provider.name.capitalize()
    try:
        response = httpx.post(
            client.token_url, data=form, timeout=client.timeout, follow_redirects=False
        )
    except httpx.HTTPError as exc:
        raise OAuthUnavailable(
            f"{name} could not be reached: {exc or type(exc).__name__}"
        ) from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code >= 500 or (response.status_code == 200 and "access_token" not in body):
        raise OAuthUnavailable(f"{name} failed ({response.status_code}).", response.status_code)
    if response.status_code != 200:
        error = str(body.get("error") or f"HTTP {response.status_code}")
        words = str(body.get("error_description") or error)[:500]
        raise GrantRefused(f"{name} refused the grant: {words}", error, response.status_code)
    return _grant(body)


def _grant(body: dict) -> Grant:
    try:
        lifetime = float(body.get("expires_in") or 3600)
    except (TypeError, ValueError):
        lifetime = 3600.0
    return Grant(
        str(body["access_token"]),
        time.time() + lifetime,
        body.get("refresh_token") or None,
        id_token_email(body.get("id_token")),
        str(body.get("scope") or ""),
    )


def id_token_email(id_token) -> str | None:
    """The account an id_token names. Its signature is not checked: it came straight from
    the provider's token endpoint over TLS (OpenID Connect Core 1.0, 3.1.3.7)."""
    try:
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (AttributeError, IndexError, ValueError):
        return None
    for claim in ("email", "preferred_username", "upn"):
        value = claims.get(claim) if isinstance(claims, dict) else None
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def xoauth2(user: str, access_token: str) -> str:
    """The XOAUTH2 initial response, before base64 (smtplib and imapclient encode it)."""
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01"
