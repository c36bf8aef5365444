"""Real mail servers for the mailbox tests: one set per session, reset per test.

The adapter tests touch no database, so they run once per CI run (on the SQLite pass).
"""

from __future__ import annotations

import os
import uuid

import pytest

from service.mail.endpoints import Endpoint, Login, MailSettings
from service.mail.smtp_connection import SmtpPool
from tests.support.mail import Dovecot, FakeOAuth, FakeSmtp, make_certs, require_dovecot

ALICE = "alice@example.test"
BOB = "bob@example.test"
SMTP_PASSWORD = "smtp-secret"
API = "/api/v1/mailboxes"


@pytest.fixture
def once_per_run():
    if os.environ.get("OUTREACH_TEST_DB", "sqlite") == "postgres":
        pytest.skip("the mail adapters use no database: tested on the SQLite pass")


def _serving(server):
    """A session fixture's body: the server started, yielded, stopped at the session's end."""
    yield server.start()
    server.stop()


def _emptied(server_fixture: str):
    """A fixture: the session's server `server_fixture`, emptied for this test."""

    @pytest.fixture
    def emptied(request):
        server = request.getfixturevalue(server_fixture)
        server.reset()
        return server

    return emptied


@pytest.fixture(scope="session")
def mail_certs(tmp_path_factory):
    return make_certs(tmp_path_factory.mktemp("mail-certs"))


@pytest.fixture(scope="session")
def oauth_server():
    yield from _serving(FakeOAuth())


@pytest.fixture(scope="session")
def smtp_server(mail_certs, oauth_server):
    users = {ALICE: SMTP_PASSWORD, BOB: SMTP_PASSWORD, "carol@example.test": SMTP_PASSWORD}
    yield from _serving(FakeSmtp(mail_certs, users, oauth_server))


oauth = _emptied("oauth_server")
smtp = _emptied("smtp_server")


@pytest.fixture(scope="session")
def dovecot_server(mail_certs, oauth_server):
    require_dovecot()
    yield from _serving(Dovecot(mail_certs, oauth_server.url))


@pytest.fixture
def imap(dovecot_server):
    return dovecot_server


@pytest.fixture
def user():
    """A mailbox of its own for each test (Dovecot makes it at first login)."""
    return f"u{uuid.uuid4().hex[:10]}@example.test"


@pytest.fixture
def settings(mail_certs):
    """Trusts the test CA, reaches loopback, short timeouts."""
    return MailSettings(
        ca_file=str(mail_certs.ca_file), allow_private=True, timeout=5.0, data_timeout=5.0
    )


@pytest.fixture
def pool():
    own = SmtpPool()
    yield own
    own.close_all()


def smtp_endpoint(
    server: FakeSmtp,
    security="starttls",
    user=ALICE,
    password=SMTP_PASSWORD,
    token=None,
    version="1",
) -> Endpoint:
    login = Login(user, None if token else password, token, version)
    return Endpoint("localhost", server.port(security), security, login)


def imap_endpoint(server: Dovecot, user: str, security="tls", password=None, token=None):
    port = server.tls_port if security == "tls" else server.port
    login = Login(user, None if token else (password or server.password), token)
    return Endpoint("localhost", port, security, login)


@pytest.fixture
def app_settings(settings):
    """Apps of the mailbox suites trust the test CA and reach the loopback servers."""
    return {"MAIL_SETTINGS": settings}


def mailbox_body(smtp_server, imap_server, email=ALICE, imap_user=None, **over) -> dict:
    """A POST /mailboxes body for one of the SMTP server's users (its IMAP side: a Dovecot
    user, `imap_user`, the same address unless told)."""
    body = {
        "email": email,
        "from_name": email.split("@")[0].title(),
        "smtp": {
            "host": "localhost",
            "port": smtp_server.port("starttls"),
            "security": "starttls",
            "username": email,
        },
        "imap": {
            "host": "localhost",
            "port": imap_server.tls_port,
            "security": "tls",
            "username": imap_user or email,
        },
        "password": SMTP_PASSWORD,
        "imap_password": imap_server.password,
    }
    return {**body, **over}


def add_mailbox(client, smtp_server, imap_server, **over) -> dict:
    answer = client.post(API, json=mailbox_body(smtp_server, imap_server, **over))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()
