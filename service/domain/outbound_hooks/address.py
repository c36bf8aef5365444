"""The outbound address guard (service/net/guard.py, the one link checks and mail use),
as webhooks apply it: docs/api.md §17, public addresses on 80/443 (or
OUTREACH_OUTBOUND_PORTS) only, unless OUTREACH_LINKCHECK_ALLOW_PRIVATE.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from urllib.parse import urlsplit

from service.domain.errors import Invalid
from service.net.guard import Refused, address_kind, check_port, checked_address

SCHEMES = ("http", "https")
CREATE_DNS_TIMEOUT = 3.0  # seconds: a name that does not answer yet is checked at each send
# Many endpoints share a host (every Slack channel is hooks.slack.com): the pool threads
# resolve a host one at a time and reuse a checked address this long. The shared resolver
# refuses a third lookup of a host while two are pending, which failed deliveries.
CACHE_SECONDS = 30.0
_checked: dict[tuple, tuple[float, str]] = {}  # (host, port, allow_private) -> (until, address)
_host_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


class Blocked(Exception):
    """A delivery must not go to this address (the attempt's `error`)."""


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def address_for(url: str, allow_private: bool, timeout: float) -> str:
    """The checked address to connect to for `url` (Blocked when it must not be)."""
    host, port = host_port(url)
    key = (host.lower(), port, allow_private)
    deadline = time.monotonic() + timeout
    with _guard:
        lock = _host_locks.setdefault(key[0], threading.Lock())
    if not lock.acquire(timeout=max(timeout, 0.01)):
        raise Blocked(f"DNS: no answer for {host} in {timeout:.1f} s")
    try:
        found = _checked.get(key)
        if found is not None and found[0] > time.monotonic():
            return found[1]
        address = checked_address(host, port, allow_private, deadline - time.monotonic())
        _remember(key, address)
        return address
    except Refused as exc:
        raise Blocked(str(exc)) from None
    finally:
        lock.release()


def _remember(key: tuple, address: str) -> None:
    now = time.monotonic()
    with _guard:
        if len(_checked) > 1000:  # forget the expired ones now and then
            for old in [k for k, (until, _) in _checked.items() if until <= now]:
                del _checked[old]
        _checked[key] = (now + CACHE_SECONDS, address)


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
    host, port = host_port(url)
    try:
        check_port(host, port)
        checked_address(host, port, False, CREATE_DNS_TIMEOUT)
    except Refused as exc:
        if exc.host_failed:  # it does not resolve (yet): every delivery checks it again
            return
        raise _invalid(str(exc).removeprefix("refused: ") + ".") from None


def _invalid(message: str) -> Invalid:
    return Invalid(message, fields={"url": [message]})
