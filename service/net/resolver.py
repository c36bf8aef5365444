"""Name lookups with a deadline that cannot starve one another.

getaddrinfo has no timeout of its own, so each lookup runs in a thread of its own and the
caller waits at most its time. A lookup that timed out keeps its thread until the system
resolver gives up; a slow host may hold at most MAX_PER_HOST such threads (its next
lookups are refused at once instead of queueing), and all hosts together MAX_IN_FLIGHT,
so one host's slow DNS never delays another host's lookups (a shared pool of four threads
did: every other site's checks then failed as "unreachable").
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


def in_flight(host: str | None = None) -> int:
    """Lookups whose thread has not returned yet (for one host, or all)."""
    with _lock:
        return _total if host is None else _per_host.get(host.lower(), 0)


def _enter(host: str) -> None:
    global _total
    with _lock:
        if _per_host.get(host, 0) >= MAX_PER_HOST:
            raise LookupFailed(f"DNS: earlier lookups of {host} have not answered yet")
        if _total >= MAX_IN_FLIGHT:
            raise LookupFailed(f"DNS: too many lookups pending, {host} not looked up")
        _per_host[host] = _per_host.get(host, 0) + 1
        _total += 1


def _leave(host: str) -> None:
    global _total
    with _lock:
        _total -= 1
        _per_host[host] -= 1
        if not _per_host[host]:
            del _per_host[host]


def lookup(host: str, port: int, timeout: float) -> list:
    """getaddrinfo(host, port) for a TCP connection, answered within `timeout` seconds."""
    key = host.lower()
    _enter(key)
    done, box = threading.Event(), {}

    def work():
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except BaseException as exc:  # noqa: BLE001 (handed to the caller below)
            box["error"] = exc
        finally:
            _leave(key)
            done.set()

    threading.Thread(target=work, name="outreach-dns", daemon=True).start()
    if not done.wait(max(timeout, 0.01)):
        raise LookupFailed(f"DNS: no answer for {host} in {timeout:.1f} s")
    error = box.get("error")
    if isinstance(error, socket.gaierror | UnicodeError):
        answered = isinstance(error, UnicodeError) or error.errno in _ANSWERS
        raise LookupFailed(f"DNS: {host} does not resolve ({error})", answered) from None
    if error is not None:
        raise LookupFailed(f"DNS: lookup of {host} failed ({error})") from None
    return box["infos"]
