"""Real mail servers on loopback for mailbox tests and benchmarks: Dovecot (IMAP), an
aiosmtpd SMTP server, a fake OAuth provider, and the test CA they all use.

    certs = make_certs(folder)
    oauth = FakeOAuth().start()
    smtp = FakeSmtp(certs, {"me@example.test": "pw"}, oauth).start()
    imap = Dovecot(certs, oauth.url).start()   # needs dovecot-imapd (require_dovecot())
"""

from __future__ import annotations

import os

import pytest

from tests.support.mail import dovecot
from tests.support.mail.certs import TestCerts, make_certs
from tests.support.mail.dovecot import Dovecot
from tests.support.mail.oauth_provider import CLIENT_ID, CLIENT_SECRET, FakeOAuth
from tests.support.mail.smtp_server import DROP, STALL, FakeSmtp, Received

__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "DROP",
    "STALL",
    "Dovecot",
    "FakeOAuth",
    "FakeSmtp",
    "Received",
    "TestCerts",
    "make_certs",
    "require_dovecot",
]


def require_dovecot() -> None:
    """Dovecot is a real part of these tests: CI fails without it (scripts/ci-mail-deps.sh
    installs it); a developer's machine without it skips, naming the fix."""
    if dovecot.available():
        return
    message = "Dovecot is not installed (scripts/ci-mail-deps.sh installs dovecot-imapd)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
