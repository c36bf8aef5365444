"""The SendGrid adapter: the real `sendgrid` library, a configurable host, a real timeout.

The library is imported at the first send, not at start (~1.7 MB and 93 modules a
process): an API worker that sends nothing, as most of them most of the time, never loads
it (issue 28, tests/project/test_package_imports.py).
"""

from __future__ import annotations

import functools
import json
import logging
import socket
from typing import TYPE_CHECKING
from urllib.error import URLError

from service.domain.ports import Accepted, MailRefused, MailUncertain, OutgoingMail

if TYPE_CHECKING:
    from python_http_client.exceptions import HTTPError
    from sendgrid import SendGridAPIClient
    from sendgrid.helpers.mail import Mail

log = logging.getLogger("outreach.mail")


def _provider_message(exc: HTTPError) -> str:
    """SendGrid's own error sentence(s), or the HTTP reason when the body says nothing."""
    try:
        errors = json.loads(exc.body or b"{}").get("errors") or []
        found = [e.get("message") for e in errors if isinstance(e, dict) and e.get("message")]
    except (ValueError, AttributeError):
        found = []
    return "; ".join(found) or str(exc)


class SendGridMailer:
    """Sends through SendGridAPIClient; classifies every failure as definite or uncertain."""

    def __init__(self, api_key: str, host: str, timeout: float, reply_domain: str | None = None):
        self._api_key, self._host, self._timeout = api_key, host.rstrip("/"), timeout
        self.reply_domain = reply_domain

    @functools.cached_property
    def client(self) -> SendGridAPIClient:
        from sendgrid import SendGridAPIClient

        client = SendGridAPIClient(api_key=self._api_key, host=self._host)
        client.client.timeout = self._timeout  # the library's default is no timeout at all
        return client

    @staticmethod
    def build(mail: OutgoingMail) -> Mail:
        """The SendGrid message: text before HTML, custom args at personalization level."""
        from sendgrid.helpers.mail import (
            Category,
            Content,
            CustomArg,
            From,
            Header,
            Mail,
            Personalization,
            ReplyTo,
            To,
        )

        message = Mail(from_email=From(mail.from_email, mail.from_name), subject=mail.subject)
        person = Personalization()
        person.add_to(To(mail.to))
        for key, value in mail.custom_args.items():
            person.add_custom_arg(CustomArg(key, str(value)))  # SendGrid 400s on non-strings
        message.add_personalization(person)
        message.add_content(Content("text/plain", mail.text))
        message.add_content(Content("text/html", mail.html))
        if mail.reply_to:
            message.reply_to = ReplyTo(mail.reply_to)
        for name, value in mail.headers.items():
            message.add_header(Header(name, value))
        for category in mail.categories:
            message.add_category(Category(category))
        return message

    def send(self, mail: OutgoingMail) -> Accepted:
        from python_http_client import exceptions as http_errors

        try:
            response = self.client.send(self.build(mail))
        except http_errors.HTTPError as exc:
            message = _provider_message(exc)
            if 400 <= exc.status_code < 500:
                raise MailRefused(
                    f"SendGrid refused the email: {message}", exc.status_code
                ) from None
            raise MailUncertain(
                f"SendGrid failed ({exc.status_code}): {message}", exc.status_code
            ) from None
        except TimeoutError as exc:
            raise MailUncertain(f"SendGrid did not answer in time ({exc}).") from None
        except URLError as exc:
            if isinstance(exc.reason, ConnectionRefusedError | socket.gaierror):
                # The request never reached SendGrid, so nothing can have gone out.
                raise MailRefused(f"SendGrid could not be reached: {exc.reason}.") from None
            raise MailUncertain(f"SendGrid connection failed: {exc.reason}.") from None
        except OSError as exc:
            raise MailUncertain(f"SendGrid connection failed: {exc}.") from None
        message_id = response.headers.get("X-Message-Id") if response.headers else None
        return Accepted(message_id)
