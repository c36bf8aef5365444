"""A message read from a mailbox over IMAP, as the fields of an Inbound Parse post, so
replies and bounces read from a mailbox are matched and kept exactly like those SendGrid
posts (received.record_inbound, docs/api.md §11, §15, §16).

The sender rules stay: a reference matches only for a sender whose domain passed SPF or
DKIM. Inbound Parse reports both; a mailbox's own provider writes them in the topmost
Authentication-Results header (RFC 8601), the only one it vouches for (the lower ones
came with the message and may be forged).
"""

from __future__ import annotations

import json
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

HEADER_END = re.compile(rb"\r?\n\r?\n")
RESULT_RE = re.compile(r"\b(dkim|spf)\s*=\s*([a-z]+)([^;]*)", re.IGNORECASE)
DOMAIN_RE = re.compile(r"header\.(?:d|i)\s*=\s*@?([^\s;@]+@)?([^\s;]+)", re.IGNORECASE)
MAILFROM_RE = re.compile(r"smtp\.mailfrom\s*=\s*([^\s;]+)", re.IGNORECASE)


def form_of(raw: bytes, mailbox_email: str) -> dict[str, str]:
    """The Inbound Parse fields of one raw message delivered to `mailbox_email`."""
    head = HEADER_END.split(raw, 1)[0].decode("utf-8", "replace")
    message = message_from_bytes(raw, policy=policy.default)
    spf, dkim, mail_from = _authentication(message)
    return {
        "headers": head,
        "from": str(message.get("From") or ""),
        "to": str(message.get("To") or mailbox_email),
        "subject": str(message.get("Subject") or ""),
        "text": _report_text(message) or _part(message, "plain"),
        "html": _part(message, "html"),
        "envelope": json.dumps({"to": [mailbox_email], "from": mail_from}),
        "SPF": spf,
        "dkim": dkim,
    }


def _part(message: EmailMessage, subtype: str) -> str:
    try:
        body = message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""
    except (KeyError, LookupError, ValueError, AttributeError):
        return ""  # an unknown charset or a broken part: the other part may do


def _report_text(message: EmailMessage) -> str:
    """A delivery report (RFC 3464) as one text: its human part, the status fields and the
    returned headers (with our Message-ID), as a bounce is read from a post's text."""
    if message.get_content_type() != "multipart/report":
        return ""
    texts = []
    for part in list(message.walk())[:20]:
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if payload is None and isinstance(part.get_payload(), list):
            payload = "\n".join(str(p) for p in part.get_payload()).encode()
        texts.append((payload or b"").decode("utf-8", "replace"))
    return "\n\n".join(texts)[:200_000]


def _authentication(message: EmailMessage) -> tuple[str, str, str]:
    """(SPF verdict, Inbound-Parse-style dkim field, envelope sender) of the topmost
    Authentication-Results header."""
    header = str((message.get_all("Authentication-Results") or [""])[0])[:4000]
    spf, signers = "", []
    mail_from = parseaddr(str(message.get("Return-Path") or ""))[1]
    for method, verdict, rest in RESULT_RE.findall(header):
        if method.lower() == "spf":
            spf = verdict.lower()
            found = MAILFROM_RE.search(rest)
            mail_from = found.group(1) if found else mail_from
        else:
            found = DOMAIN_RE.search(rest)
            if found:
                signers.append(f"@{found.group(2)} : {verdict.lower()}")
    return spf, "{" + ", ".join(signers) + "}" if signers else "", mail_from
