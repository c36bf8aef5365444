"""The network layer under httpx: connect only to the address the fetcher checked, and
never let one read or write outlive the request's deadline.

httpx resolves names itself when it connects; a name that answered a public address to
the guard and a private one a moment later (DNS rebinding) would slip through. Here the
fetcher pins host -> checked address for its thread, and connect_tcp dials that address
(the URL keeps the name, so Host and TLS SNI/certificate checks use the name). Read
timeouts restart with every byte, so a server trickling one byte a second would never
time out: every socket operation gets at most the time left until the deadline.
"""

from __future__ import annotations

import functools
import ssl
import threading
import time
from contextlib import contextmanager

import httpcore
import httpx


class _Pins(threading.local):
    """Per thread (threading.local runs __init__ once in each): host -> address, deadline."""

    def __init__(self):
        self.addresses: dict[str, str] = {}
        self.deadline = 0.0


pins = _Pins()


def _left(timeout: float | None, error=httpcore.ReadTimeout) -> float:
    """The operation's timeout cut to the deadline; raise once the deadline has passed."""
    left = pins.deadline - time.monotonic()
    if left <= 0:
        raise error("deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation ends by the thread's deadline."""

    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(
            self._stream.start_tls(
                ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)
            )
        )

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class PinnedBackend(httpcore.SyncBackend):
    """Dials the pinned (checked) address of a host; an unpinned host is refused."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = pins.addresses.get(host)
        if address is None:
            raise httpcore.ConnectError(f"{host}: address was not checked")
        stream = super().connect_tcp(
            address, port, _left(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream)


class Pages:
    """GETs on an HTTP/1.1 transport over the pinned backend. No httpx.Client: no cookie
    jar shared between checks and threads, no redirects, no environment proxies; no
    keep-alive (a kept TLS connection to one address must not serve another name)."""

    def __init__(self, user_agent: str):
        self.headers = {
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate, br",
        }
        tls = tls_context()
        self.transport = httpx.HTTPTransport(verify=tls, http2=False, trust_env=False)
        # httpx takes no network backend; its pool is replaced by an equal one on ours.
        self.transport._pool = httpcore.ConnectionPool(
            ssl_context=tls,
            max_connections=16,
            max_keepalive_connections=0,
            network_backend=PinnedBackend(),
        )

    @contextmanager
    def get(self, url: httpx.URL, timeout: float):
        """The response of one GET, streamed (decoded by iter_bytes), closed on exit."""
        request = httpx.Request(
            "GET",
            url,
            headers=self.headers,
            extensions={"timeout": httpx.Timeout(timeout).as_dict()},
        )
        response = self.transport.handle_request(request)
        response.request = request
        try:
            yield response
        finally:
            response.close()

    def close(self) -> None:
        self.transport.close()


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's one verifying TLS context (a context is safe to share between
    threads): each load of the CA bundle costs ~1 MB, and the fetchers, the webhook sender
    and httpx's own transport each made one (6 per scheduler process)."""
    import certifi  # httpx's own trust store

    return ssl.create_default_context(cafile=certifi.where())
