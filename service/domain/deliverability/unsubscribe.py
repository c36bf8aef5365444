"""One-click unsubscribe links (RFC 8058): signed tokens, headers, the placeholder, the footer.

A token is `<email id>.<MAC>` (service/domain/email_tokens.py): unforgeable, so ids cannot
be guessed or enumerated.
Templates use {{unsubscribe_url}}: rendering fills in MARK, and the mail port's
LinkedMailer swaps MARK for the email's own link when it hands the email over.
"""

from __future__ import annotations

from dataclasses import replace

from service.domain import email_tokens
from service.domain.ports import OutgoingMail

MARK = "https://unsubscribe.invalid/outreach-unsubscribe-link"
PURPOSE = "outreach unsubscribe v1"
TEXT_FOOTER = "\n\nIf you would rather I did not write again, say so here: {url}"
HTML_FOOTER = (
    '\n<p style="margin:1em 0 0 0;font-size:12px;color:#646970;">'
    'If you would rather I did not write again, <a href="{url}" style="color:#646970;">'
    "say so here</a>.</p>"
)


def make_token(key: bytes, email_id: int) -> str:
    """The token naming one email."""
    return email_tokens.make(key, "unsubscribe", email_id)


def read_token(key: bytes, token: str) -> int | None:
    """The email id a token names, or None when it is malformed or forged."""
    return email_tokens.read(key, "unsubscribe", token)


def link(base_url: str, key: bytes, email_id: int) -> str:
    """The public unsubscribe URL of one email."""
    return f"{base_url.rstrip('/')}/u/{make_token(key, email_id)}"


def decorate(mail: OutgoingMail, url: str | None, footer: bool) -> OutgoingMail:
    """The message with its link in place, the footer (unless the body has the link) and
    the List-Unsubscribe headers; without a URL, the placeholder is emptied and no header
    or footer is added rather than a broken link."""
    used = MARK in mail.text or MARK in mail.html
    text, html = mail.text.replace(MARK, url or ""), mail.html.replace(MARK, url or "")
    if url is None:
        return replace(mail, text=text, html=html)
    if footer and not used:
        text += TEXT_FOOTER.format(url=url)
        html = append_html(html, HTML_FOOTER.format(url=url))
    headers = {
        **mail.headers,
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return replace(mail, text=text, html=html, headers=headers)


def append_html(markup: str, footer: str) -> str:
    """The footer inside the body: before </body> when the author wrote a full document."""
    at = markup.lower().rfind("</body>")
    return markup + footer if at < 0 else markup[:at] + footer + markup[at:]
