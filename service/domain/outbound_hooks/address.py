"""The outbound address guard, as webhooks use it: the one the link checker applies
(docs/api.md §17: public addresses only unless OUTREACH_LINKCHECK_ALLOW_PRIVATE).

The single call site of that guard for this feature: when the shared guard module lands,
only this file changes.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from service.domain.errors import Invalid
from service.domain.links.fetch import Refused, address_kind, checked_address

SCHEMES = ("http", "https")
CREATE_DNS_TIMEOUT = 3.0  # seconds: a name that does not answer yet is checked at each send


class Blocked(Exception):
    """A delivery must not go to this address (the attempt's `error`)."""


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def address_for(url: str, allow_private: bool, timeout: float) -> str:
    """The checked address to connect to for `url` (Blocked when it must not be)."""
    host, port = host_port(url)
    try:
        return checked_address(host, port, allow_private, timeout)
    except Refused as exc:
        raise Blocked(str(exc)) from None


def check_url(url: str, allow_private: bool) -> None:
    """A new or changed endpoint URL: http(s), a host, and not a private address (Invalid)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError:
        raise _invalid("Not a valid URL.") from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise _invalid("Only http and https URLs with a host can receive webhooks.")
    if allow_private:
        return
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    if literal is not None and address_kind(literal):
        raise _invalid(f"{literal} is a {address_kind(literal)} address: only public ones.")
    try:
        checked_address(parts.hostname, parts.port or 443, False, CREATE_DNS_TIMEOUT)
    except Refused as exc:
        if exc.host_failed:  # it does not resolve (yet): every delivery checks it again
            return
        raise _invalid(str(exc).removeprefix("refused: ") + ": only public addresses.") from None


def _invalid(message: str) -> Invalid:
    return Invalid(message, fields={"url": [message]})
