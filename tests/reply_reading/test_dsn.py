"""Bounces that arrive as messages: RFC 3464 reports and mailer-daemon texts (docs/replies.md)."""

from __future__ import annotations

import email
import time
from email import policy

import pytest

from service.domain.reply_reading import Bounce, read_bounce

POSTFIX_DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: bounces+abc@send.almaseo.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<anna@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <anna@example.org>: Recipient address rejected: User unknown

--B1
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4QxYz1
Arrival-Date: Tue,  3 Mar 2026 09:14:05 +0000 (UTC)

Final-Recipient: rfc822; anna@example.org
Original-Recipient: rfc822;anna@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <anna@example.org>: Recipient address rejected:
    User unknown

--B1
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Alma Team <team@almaseo.example>
To: anna@example.org
Subject: Link suggestion
Message-ID: <0a1b2c3d.4e5f@almaseo.example>

--B1--
"""

GMAIL_DSN = b"""From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: team@almaseo.example
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="G1"; report-type=delivery-status

--G1
Content-Type: multipart/related; boundary="G2"

--G2
Content-Type: multipart/alternative; boundary="G3"

--G3
Content-Type: text/plain; charset="UTF-8"


** Address not found **

Your message wasn't delivered to jo.missing@example.com because the address
couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.

--G3
Content-Type: text/html; charset="UTF-8"

<html><body><p>Address not found</p></body></html>
--G3--
--G2--
--G1
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; team@almaseo.example
Arrival-Date: Tue, 03 Mar 2026 01:14:05 -0800 (PST)

Final-Recipient: rfc822; jo.missing@example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.com. (192.0.2.7, the server for the domain example.com.)
Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist.
Last-Attempt-Date: Tue, 03 Mar 2026 01:14:06 -0800 (PST)

--G1
Content-Type: message/rfc822

From: Alma Team <team@almaseo.example>
To: jo.missing@example.com
Subject: Link suggestion
Message-ID: <CAF=gmail-1234@mail.gmail.com>

Hi Jo,
--G1--
"""

DELAYED_DSN = b"""From: MAILER-DAEMON@mx.example.net
To: bounces@send.almaseo.example
Subject: Delayed Mail (still being retried)
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="D1"

--D1
Content-Type: text/plain

This is the mail system. Your message could not be delivered yet; it will be retried.

--D1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Original-Message-ID: <orig-42@almaseo.example>

Final-Recipient: rfc822; lee@example.net
Action: delayed
Status: 4.4.7
Diagnostic-Code: X-Postfix; connect to mx.example.net[192.0.2.9]:25: Connection timed out

--D1--
"""

EXCHANGE_TEXT = """From: postmaster@example.org
To: team@almaseo.example
Subject: Undeliverable: Link suggestion
Content-Type: text/plain; charset=utf-8

Your message to kim@example.org couldn't be delivered.

kim wasn't found at example.org.

Diagnostic information for administrators:

Generating server: EX1.example.org

kim@example.org
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not\
found by SMTP address lookup'

Original message headers:

From: Alma Team <team@almaseo.example>
Message-ID: <exch-77@almaseo.example>
"""

EXIM_TEXT = """From: Mail Delivery System <Mailer-Daemon@mx.example.co.uk>
To: team@almaseo.example
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  pat@example.co.uk
    host mx.example.co.uk [192.0.2.3]
    SMTP error from remote mail server after RCPT TO:<pat@example.co.uk>:
    550 5.1.1 User unknown
"""

QMAIL_TEXT = """From: MAILER-DAEMON@mail.example.com
To: team@almaseo.example
Subject: failure notice

Hi. This is the qmail-send program at mail.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<sam@example.com>:
Sorry, no mailbox here by that name. (#5.1.1)
"""

GMAIL_SOFT_TEXT = """From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: team@almaseo.example
Subject: Delivery Status Notification (Delay)

Delivery incomplete

There was a temporary problem delivering your message to rob@example.net.
Gmail will retry for 46 more hours. You'll be notified if the delivery fails
permanently.
"""


def parse(raw) -> email.message.EmailMessage:
    data = raw if isinstance(raw, bytes) else raw.encode()
    return email.message_from_bytes(data, policy=policy.default)


@pytest.mark.parametrize(
    "raw,expected",
    [
        (
            POSTFIX_DSN,
            Bounce("anna@example.org", "hard", "5.1.1", None, "0a1b2c3d.4e5f@almaseo.example"),
        ),
        (
            GMAIL_DSN,
            Bounce(
                "jo.missing@example.com", "hard", "5.1.1", None, "CAF=gmail-1234@mail.gmail.com"
            ),
        ),
        (DELAYED_DSN, Bounce("lee@example.net", "soft", "4.4.7", None, "orig-42@almaseo.example")),
        (
            EXCHANGE_TEXT,
            Bounce("kim@example.org", "hard", "5.1.10", None, "exch-77@almaseo.example"),
        ),
        (EXIM_TEXT, Bounce("pat@example.co.uk", "hard", "5.1.1", None, None)),
        (QMAIL_TEXT, Bounce("sam@example.com", "hard", "5.1.1", None, None)),
        (GMAIL_SOFT_TEXT, Bounce("rob@example.net", "soft", None, None, None)),
    ],
    ids=["postfix-dsn", "gmail-dsn", "delayed-dsn", "exchange", "exim", "qmail", "gmail-delay"],
)
def test_bounces_are_read(raw, expected):
    found = read_bounce(parse(raw))
    assert found is not None
    assert (found.recipient, found.severity, found.status) == (
        expected.recipient,
        expected.severity,
        expected.status,
    )
    assert found.original_message_id == expected.original_message_id


def test_the_report_diagnostic_is_kept_on_one_line():
    found = read_bounce(parse(POSTFIX_DSN))
    assert found.diagnostic == (
        "smtp; 550 5.1.1 <anna@example.org>: Recipient address rejected: User unknown"
    )


def test_a_message_that_names_no_recipient_is_no_bounce():
    assert read_bounce(parse("From: jo@example.org\nTo: team@almaseo.example\n\nHello")) is None


def test_diagnostics_of_text_bounces_are_the_line_with_the_status():
    assert read_bounce(parse(EXIM_TEXT)).diagnostic == "550 5.1.1 User unknown"
    assert "RecipientNotFound" in read_bounce(parse(EXCHANGE_TEXT)).diagnostic
    assert read_bounce(parse(DELAYED_DSN)).diagnostic.startswith("X-Postfix; connect to")


def test_hostile_reports_are_read_in_bounded_time():
    parts = "".join(f"--B\nContent-Type: text/plain\n\n{'x' * 100}\n" for _ in range(300))
    many = (
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n{parts}--B--\n"
    )
    status = "--B\nContent-Type: message/delivery-status\n\n" + "X: y\n\n" * 2_000 + "--B--\n"
    blocks = f"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n{status}"
    huge = "From: mailer-daemon@x.example\n\n" + "failed: " * 300_000 + "a@b.example 5.1.1"
    messages = [parse(raw) for raw in (many, blocks, huge)]  # parsing is the caller's
    started = time.thread_time()
    assert [read_bounce(m) for m in messages] == [None, None, None]
    assert time.thread_time() - started < 1
