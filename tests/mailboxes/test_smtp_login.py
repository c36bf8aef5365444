"""SMTP logins against the real server: STARTTLS and implicit TLS, passwords and XOAUTH2,
certificate checks, and what configuration the adapter refuses to use."""

from __future__ import annotations

import dataclasses

import pytest

from service.mail.endpoints import Endpoint, Login
from service.mail.mailbox_errors import LoginFailed, MailboxBroken, MailboxUnreachable
from service.mail.smtp import SmtpMailer
from tests.mailboxes.conftest import ALICE, smtp_endpoint
from tests.support.processes import free_port

pytestmark = pytest.mark.usefixtures("once_per_run")


def mailer(endpoint, settings, pool):
    return SmtpMailer(1, ALICE, endpoint, settings, pool=pool)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_login_with_a_password_sends_nothing(smtp, settings, pool, security):
    mailer(smtp_endpoint(smtp, security), settings, pool).test_login()
    assert [(x.user, x.mechanism, x.ok) for x in smtp.logins] == [(ALICE, "PLAIN", True)]
    assert smtp.messages == []


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_wrong_password_is_a_login_failure_in_the_servers_words(smtp, settings, pool, security):
    endpoint = smtp_endpoint(smtp, security, password="wrong")
    with pytest.raises(LoginFailed) as refused:
        mailer(endpoint, settings, pool).test_login()
    assert "535" in refused.value.message and "credentials invalid" in refused.value.message
    assert isinstance(refused.value, MailboxBroken)  # the mailbox goes to `error`


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_xoauth2_with_a_token_from_the_provider(smtp, oauth, settings, pool, security):
    token = oauth.issue(ALICE)["access_token"]
    endpoint = smtp_endpoint(smtp, security, token=lambda fresh: token)
    mailer(endpoint, settings, pool).test_login()
    assert [(x.mechanism, x.ok) for x in smtp.logins] == [("XOAUTH2", True)]


def test_a_refused_cached_token_gets_one_fresh_one(smtp, oauth, settings, pool):
    asked = []
    good = oauth.issue(ALICE)["access_token"]

    def token(fresh):
        asked.append(fresh)
        return good if fresh else "at-expired"

    mailer(smtp_endpoint(smtp, token=token), settings, pool).test_login()
    assert asked == [False, True]
    assert [x.ok for x in smtp.logins] == [False, True]


def test_an_invalid_token_is_a_login_failure(smtp, settings, pool):
    endpoint = smtp_endpoint(smtp, token=lambda fresh: "at-never-issued")
    with pytest.raises(LoginFailed, match="535"):
        mailer(endpoint, settings, pool).test_login()
    assert [x.ok for x in smtp.logins] == [False, False]  # cached, then one fresh try


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_an_untrusted_certificate_is_refused(smtp, settings, pool, security):
    without_ca = dataclasses.replace(settings, ca_file=None)
    with pytest.raises(MailboxBroken, match="certificate is not trusted"):
        mailer(smtp_endpoint(smtp, security), without_ca, pool).test_login()
    assert smtp.logins == []  # the password never left


def test_the_certificate_must_name_the_host(smtp, settings, pool):
    endpoint = dataclasses.replace(smtp_endpoint(smtp, "tls"), host="127.0.0.1")
    with pytest.raises(MailboxBroken, match="not trusted"):
        mailer(endpoint, settings, pool).test_login()


def test_starttls_is_never_skipped_when_the_server_does_not_offer_it(smtp, settings, pool):
    endpoint = Endpoint("localhost", smtp.port("none"), "starttls", Login(ALICE, "x"))
    with pytest.raises(MailboxBroken, match="STARTTLS"):
        mailer(endpoint, settings, pool).test_login()
    assert smtp.logins == []


def test_no_encryption_only_when_allowed(smtp, settings, pool):
    endpoint = smtp_endpoint(smtp, "none")
    with pytest.raises(MailboxBroken, match="OUTREACH_ALLOW_INSECURE_MAIL"):
        mailer(endpoint, settings, pool).test_login()
    allowed = dataclasses.replace(settings, allow_insecure=True)
    mailer(endpoint, allowed, pool).test_login()
    assert [x.ok for x in smtp.logins] == [True]


def test_private_addresses_only_when_allowed(smtp, settings, pool):
    guarded = dataclasses.replace(settings, allow_private=False)
    with pytest.raises(MailboxBroken, match="loopback"):
        mailer(smtp_endpoint(smtp), guarded, pool).test_login()
    assert smtp.connections == []


def test_a_closed_port_is_unreachable_not_broken(settings, pool):
    endpoint = Endpoint("localhost", free_port(), "tls", Login(ALICE, "x"))
    with pytest.raises(MailboxUnreachable):
        mailer(endpoint, settings, pool).test_login()
