"""Open and click tracking without SendGrid (docs/api.md §15, mailboxes that turn it on):
the open pixel `<public>/t/o/<token>` and click links `<public>/t/c/<token>`.

A token is bound to one email: an open token names its id, a click token its id and the
one URL that link stood for in that email, both under an HMAC-SHA256 (key derived from
the service's secret key, 128 bits kept). Nothing else can be made into a valid token, so
the redirect goes only to a URL that was in that email: no open redirect, no guessing.
Only http(s) links of the HTML part are rewritten; the unsubscribe link and the text
part stay as they are (a person reading text sees the real address).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from dataclasses import replace

from service.domain import email_tokens
from service.domain.deliverability.unsubscribe import append_html
from service.domain.ports import OutgoingMail

PURPOSE = "outreach tracking v1"
MAX_URL = 2048  # longer links stay as they are (and untracked)
PIXEL = (
    '<img src="{url}" width="1" height="1" alt="" '
    'style="display:block;width:1px;height:1px;border:0;">'
)
HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def open_token(key: bytes, email_id: int) -> str:
    return email_tokens.make(key, "open", email_id)


def click_token(key: bytes, email_id: int, url: str) -> str:
    mac = email_tokens.mac(key, f"click:{email_id}:{url}")
    return f"{email_id}.{email_tokens.b64(url.encode())}.{mac}"


def read_open(key: bytes, token: str) -> int | None:
    """The email an open token names; None when malformed or forged."""
    return email_tokens.read(key, "open", token)


def read_click(key: bytes, token: str) -> tuple[int, str] | None:
    """(email id, URL) a click token names; None when malformed, altered or forged."""
    parts = (token or "").split(".")
    if len(parts) != 3 or (email_id := email_tokens.email_id(parts[0])) is None:
        return None
    try:
        url = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    wanted = email_tokens.mac(key, f"click:{email_id}:{url}")
    if not email_tokens.same(parts[2], wanted) or not _trackable(url):
        return None
    return email_id, url


def _trackable(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and len(url) <= MAX_URL


def decorate(
    mail: OutgoingMail, base_url: str, key: bytes, email_id: int, opens: bool, clicks: bool
) -> OutgoingMail:
    """The HTML part with its links through `/t/c/` (clicks) and the pixel (opens)."""
    base = base_url.rstrip("/")
    markup = mail.html
    if clicks:
        keep = f"{base}/u/"  # the unsubscribe link goes straight to its page

        def swap(match: re.Match) -> str:
            url = html.unescape(match.group(3)).strip()
            if not _trackable(url) or url.startswith(keep):
                return match.group(0)
            link = f"{base}/t/c/{click_token(key, email_id, url)}"
            return f"{match.group(1)}{match.group(2)}{link}{match.group(2)}"

        markup = HREF.sub(swap, markup)
    if opens:
        markup = append_html(markup, PIXEL.format(url=f"{base}/t/o/{open_token(key, email_id)}"))
    return replace(mail, html=markup)
