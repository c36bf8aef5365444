"""OAuth against the fake provider over real HTTP: PKCE round trip, refresh, the token
cache, a refused refresh (once, no loop), and XOAUTH2 logins with what it returns."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from service.mail import oauth as oa
from service.mail.mailbox_errors import MailboxBroken, MailboxUnreachable
from service.mail.oauth_tokens import AccessTokens, TokenCache
from service.mail.smtp import SmtpMailer
from tests.mailboxes.conftest import ALICE, smtp_endpoint
from tests.support.mail import CLIENT_ID, CLIENT_SECRET
from tests.support.processes import free_port

pytestmark = pytest.mark.usefixtures("once_per_run")
REDIRECT = "https://wp.example/wp-admin/admin.php?page=almaseo-outreach-mailboxes"


def environment(url: str, name: str = "GOOGLE") -> dict:
    return {
        f"OUTREACH_OAUTH_{name}_CLIENT_ID": CLIENT_ID,
        f"OUTREACH_OAUTH_{name}_CLIENT_SECRET": CLIENT_SECRET,
        f"OUTREACH_OAUTH_{name}_AUTHORIZE_URL": f"{url}/authorize",
        f"OUTREACH_OAUTH_{name}_TOKEN_URL": f"{url}/token",
    }


def consent(client, login_hint=None):
    """Start a flow and follow the authorize page as a browser would: (code, state, pkce)."""
    pkce, state = oa.new_pkce(), oa.new_state()
    url = oa.authorize_url(client, REDIRECT, state, pkce.challenge, login_hint)
    answer = httpx.get(url, follow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back._replace(query="").geturl() == REDIRECT.split("?")[0]
    query = parse_qs(back.query)
    return query["code"][0], query["state"][0], pkce, state


@pytest.mark.parametrize("name", ["google", "microsoft"])
def test_authorization_code_with_pkce_round_trip(oauth, name):
    client = oa.client_for(name, environment(oauth.url, name.upper()))
    code, returned_state, pkce, state = consent(client, ALICE)
    grant = oa.exchange_code(client, code, REDIRECT, pkce.verifier)
    assert returned_state == state
    assert grant.email == ALICE and grant.refresh_token and grant.access_token
    assert oauth.email_for(grant.access_token) == ALICE
    sent = oauth.token_calls[-1]
    assert (sent["grant_type"], sent["code_verifier"]) == ("authorization_code", pkce.verifier)


def test_the_authorize_url_asks_for_mail_and_offline_access(oauth):
    google = oa.client_for("google", environment(oauth.url))
    query = parse_qs(urlsplit(oa.authorize_url(google, REDIRECT, "s", "c" * 43)).query)
    assert query["scope"] == ["https://mail.google.com/ openid email"]
    assert (query["access_type"], query["code_challenge_method"]) == (["offline"], ["S256"])
    microsoft = oa.client_for("microsoft", environment(oauth.url, "MICROSOFT"))
    scopes = parse_qs(urlsplit(oa.authorize_url(microsoft, REDIRECT, "s", "c" * 43)).query)
    assert {
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "offline_access",
    } <= set(scopes["scope"][0].split())


def test_a_wrong_verifier_or_a_reused_code_is_refused(oauth):
    client = oa.client_for("google", environment(oauth.url))
    code, _, _, _ = consent(client)
    with pytest.raises(oa.GrantRefused, match="PKCE"):
        oa.exchange_code(client, code, REDIRECT, oa.new_pkce().verifier)
    code, _, pkce, _ = consent(client)
    oa.exchange_code(client, code, REDIRECT, pkce.verifier)
    with pytest.raises(oa.GrantRefused) as again:
        oa.exchange_code(client, code, REDIRECT, pkce.verifier)
    assert again.value.error == "invalid_grant"


def test_providers_without_a_client_id_are_not_offered(oauth):
    assert oa.configured({}) == []
    assert oa.configured(environment(oauth.url, "MICROSOFT")) == ["microsoft"]
    assert oa.client_for("google", {}) is None
    real = oa.client_for("google", {"OUTREACH_OAUTH_GOOGLE_CLIENT_ID": "x"})
    assert real.token_url == "https://oauth2.googleapis.com/token"


def test_access_tokens_are_cached_until_they_near_expiry(oauth):
    client = oa.client_for("google", environment(oauth.url))
    tokens = AccessTokens(client, oauth.issue(ALICE)["refresh_token"], "m1", TokenCache())
    first = tokens()
    assert tokens() == first and len(oauth.token_calls) == 1
    assert tokens(True) != first and len(oauth.token_calls) == 2  # a forced refresh
    oauth.expires_in = 30  # within the early-renewal margin: every use refreshes
    tokens(True)
    tokens()
    assert len(oauth.token_calls) == 4


def test_a_rotated_refresh_token_is_handed_back_to_be_stored(oauth):
    oauth.rotate = True
    client = oa.client_for("microsoft", environment(oauth.url, "MICROSOFT"))
    stored = []
    tokens = AccessTokens(
        client, oauth.issue(ALICE)["refresh_token"], "m2", TokenCache(), stored.append
    )
    tokens()
    tokens(True)  # works only with the rotated token: the first one was retired
    assert len(stored) == 2 and stored[0] != stored[1]


def test_a_refused_refresh_breaks_the_mailbox_once_in_the_providers_words(
    oauth, smtp, settings, pool
):
    client = oa.client_for("google", environment(oauth.url))
    tokens = AccessTokens(client, oauth.issue(ALICE)["refresh_token"], "m3", TokenCache())
    oauth.refuse_refresh = True
    mailer = SmtpMailer(1, ALICE, smtp_endpoint(smtp, token=tokens), settings, pool=pool)
    with pytest.raises(oa.GrantRefused) as refused:
        mailer.test_login()
    assert isinstance(refused.value, MailboxBroken)
    assert refused.value.error == "invalid_grant"
    assert refused.value.message == "Google refused the grant: Token has been expired or revoked."
    assert len(oauth.token_calls) == 1 and smtp.logins == []  # one call, no login tried


def test_an_unreachable_token_endpoint_is_temporary():
    down = f"http://127.0.0.1:{free_port()}"
    client = oa.client_for("google", environment(down))
    with pytest.raises(oa.OAuthUnavailable) as unavailable:
        oa.refresh(client, "rt")
    assert isinstance(unavailable.value, MailboxUnreachable)


def test_xoauth2_string():
    assert oa.xoauth2("a@b.c", "tok") == "user=a@b.c\x01auth=Bearer tok\x01\x01"


def test_pkce_challenge_is_s256_of_the_verifier():
    import base64
    import hashlib

    pkce = oa.new_pkce()
    expected = base64.urlsafe_b64encode(hashlib.sha256(pkce.verifier.encode()).digest())
    assert pkce.challenge == expected.decode().rstrip("=") and 43 <= len(pkce.verifier) <= 128
    assert oa.new_state() != oa.new_state()
