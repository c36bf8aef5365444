"""The Sent-folder copy over IMAP APPEND, beside an SMTP send."""

from __future__ import annotations

import functools

import pytest

from service.mail.imap import ImapReader, append_to_sent
from service.mail.mailbox_errors import LoginFailed
from service.mail.smtp import SmtpMailer
from tests.mailboxes.conftest import ALICE, imap_endpoint, smtp_endpoint
from tests.mailboxes.messages import outgoing

pytestmark = pytest.mark.usefixtures("once_per_run")


def test_an_accepted_email_is_filed_in_the_sent_folder_as_read(smtp, imap, user, settings, pool):
    endpoint = imap_endpoint(imap, user)
    copy = functools.partial(append_to_sent, endpoint, settings)
    sender = SmtpMailer(1, ALICE, smtp_endpoint(smtp), settings, sent_copy=copy, pool=pool)
    accepted = sender.send(outgoing(subject="Filed"))

    with ImapReader(endpoint, settings, folder="Sent Items") as sent:
        sent.open()
        [filed] = [m for batch in sent.messages_after(0) for m in batch]
    assert filed.raw == smtp.messages[0].raw  # the very bytes the server accepted
    assert accepted.message_id.encode() in filed.raw
    assert "\\Seen" in imap.flags(user, "Sent Items")[filed.uid]


def test_the_sent_folder_is_found_by_its_special_use_flag(imap, user, settings):
    endpoint, raw = imap_endpoint(imap, user), b"Subject: x\r\n\r\nx\r\n"
    assert append_to_sent(endpoint, settings, raw) == "Sent Items"  # not the "Sent" fallback
    assert append_to_sent(endpoint, settings, raw, folder="Archive") == "Archive"  # made


def test_a_failed_copy_does_not_fail_the_send(smtp, imap, user, settings, pool, caplog):
    endpoint = imap_endpoint(imap, user, password="wrong")
    copy = functools.partial(append_to_sent, endpoint, settings)
    sender = SmtpMailer(1, ALICE, smtp_endpoint(smtp), settings, sent_copy=copy, pool=pool)
    accepted = sender.send(outgoing())
    assert accepted.message_id and len(smtp.messages) == 1
    assert "Sent copy failed" in caplog.text and "refused the login" in caplog.text
    with pytest.raises(LoginFailed):
        copy(b"Subject: x\r\n\r\nx\r\n")
