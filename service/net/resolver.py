"""Name lookups with a deadline that cannot starve one another.

getaddrinfo has no timeout of its own, so each lookup runs in a thread of its own and the
caller waits at most its time. A lookup that timed out keeps its thread until the system
resolver gives up. Callers asking for the same host and port while a lookup runs share it
(no thread of their own, no refusal: five mailboxes on one provider once failed their
sends with "earlier lookups have not answered yet"). A slow host may hold at most
MAX_PER_HOST threads (one a port; a lookup on yet another port is refused at once instead of
queueing), and all hosts together MAX_IN_FLIGHT, so one host's slow DNS never delays
another host's lookups (a shared pool of four threads did: every other site's checks then
failed as "unreachable").
"""

from __future__ import annotations

import socket
import threading

MAX_PER_HOST = 2
MAX_IN_FLIGHT = 64
# getaddrinfo errors that are the DNS's answer ("no such name"), not a resolver failure.
_ANSWERS = {getattr(socket, name, None) for name in ("EAI_NONAME", "EAI_NODATA")} - {None}


class LookupFailed(Exception):
    """No address for the host. `answered`: the DNS said the name does not exist (or the
    name is invalid); otherwise the resolver failed or ran out of time, which says
    nothing about the host."""

    def __init__(self, message: str, answered: bool = False):
        super().__init__(message)
        self.answered = answered


_lock = threading.Lock()
_per_host: dict[str, int] = {}
_total = 0


class _Lookup:
    """One getaddrinfo in its thread; every caller asking the same (host, port) meanwhile
    waits on it, so many senders to one provider (five mailboxes on smtp.gmail.com, eight
    webhook threads to hooks.slack.com) share a lookup instead of being refused."""

    def __init__(self):
        self.done = threading.Event()
        self.infos: list | None = None
        self.error: BaseException | None = None


_pending: dict[tuple[str, int], _Lookup] = {}


def in_flight(host: str | None = None) -> int:
    """Lookups whose thread has not returned yet (for one host, or all)."""
    with _lock:
        return _total if host is None else _per_host.get(host.lower(), 0)


def _join_or_enter(key: str, port: int) -> tuple[_Lookup, bool]:
    """The pending lookup of (key, port), or a new one counted against the limits (True)."""
    global _total
    with _lock:
        pending = _pending.get((key, port))
        if pending is not None:
            return pending, False
        if _per_host.get(key, 0) >= MAX_PER_HOST:
            raise LookupFailed(f"DNS: earlier lookups of {key} have not answered yet")
        if _total >= MAX_IN_FLIGHT:
            raise LookupFailed(f"DNS: too many lookups pending, {key} not looked up")
        _per_host[key] = _per_host.get(key, 0) + 1
        _total += 1
        pending = _pending[(key, port)] = _Lookup()
        return pending, True


def _leave(key: str, port: int) -> None:
    global _total
    with _lock:
        _total -= 1
        _per_host[key] -= 1
        if not _per_host[key]:
            del _per_host[key]
        del _pending[(key, port)]


def _resolve(lookup_: _Lookup, host: str, key: str, port: int) -> None:
    try:
        lookup_.infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except BaseException as exc:  # noqa: BLE001 (handed to the callers by lookup())
        lookup_.error = exc
    finally:
        _leave(key, port)
        lookup_.done.set()


def lookup(host: str, port: int, timeout: float) -> list:
    """getaddrinfo(host, port) for a TCP connection, answered within `timeout` seconds.
    The list is shared with concurrent callers of the same (host, port): read it only."""
    key = host.lower()
    pending, started = _join_or_enter(key, port)
    if started:
        threading.Thread(
            target=_resolve, args=(pending, host, key, port), name="outreach-dns", daemon=True
        ).start()
    if not pending.done.wait(max(timeout, 0.01)):
        raise LookupFailed(f"DNS: no answer for {host} in {timeout:.1f} s")
    error = pending.error
    if isinstance(error, socket.gaierror | UnicodeError):
        answered = isinstance(error, UnicodeError) or error.errno in _ANSWERS
        raise LookupFailed(f"DNS: {host} does not resolve ({error})", answered) from None
    if error is not None:
        raise LookupFailed(f"DNS: lookup of {host} failed ({error})") from None
    return pending.infos
