"""One POST to an endpoint: the guarded address (pinned against DNS rebinding), no
redirects, a bounded time for the whole attempt, at most 1 KiB of the answer kept."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from service.domain.links import transport
from service.domain.outbound_hooks.address import Blocked, address_for

TIMEOUT = 10.0  # seconds per attempt (docs/api.md §17)
KEPT = 1024  # bytes of the answer's body kept in the log
USER_AGENT = "AlmaSEO-Outreach-Webhooks/1.0"


@dataclass
class Answer:
    """How one attempt ended: a status (2xx is delivered) or an error."""

    status_code: int | None = None
    error: str | None = None
    response: str | None = None
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class HookSender:
    """Posts webhook bodies; one per process, shared by the pool threads (no cookies, no
    keep-alive, no environment proxies: the link checker's pinned transport)."""

    def __init__(self, allow_private: bool = False, timeout: float = TIMEOUT):
        self.allow_private, self.timeout = allow_private, timeout
        self.transport = transport.Pages(USER_AGENT).transport

    def post(self, url: str, headers: dict, body: str) -> Answer:
        started = time.monotonic()
        answer = self._post(url, headers, body.encode(), started + self.timeout)
        answer.duration_ms = int((time.monotonic() - started) * 1000)
        return answer

    def _post(self, url: str, headers: dict, body: bytes, deadline: float) -> Answer:
        try:
            parsed = httpx.URL(url)
            address = address_for(url, self.allow_private, deadline - time.monotonic())
        except (httpx.InvalidURL, ValueError) as exc:
            return Answer(error=f"invalid URL: {exc}"[:500])
        except Blocked as exc:
            return Answer(error=str(exc)[:500])
        transport.pins.addresses = {parsed.raw_host.decode("ascii"): address}
        transport.pins.deadline = deadline
        try:
            return self._send(parsed, headers, body, deadline)
        except httpx.TimeoutException:
            return Answer(error=f"timed out after {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Answer(error=f"connection: {exc or type(exc).__name__}"[:500])
        finally:
            transport.pins.addresses = {}

    def _send(self, url: httpx.URL, headers: dict, body: bytes, deadline: float) -> Answer:
        request = httpx.Request(
            "POST",
            url,
            headers={**headers, "user-agent": USER_AGENT},
            content=body,
            extensions={"timeout": httpx.Timeout(max(deadline - time.monotonic(), 0.01)).as_dict()},
        )
        response = self.transport.handle_request(request)
        try:
            kept = b""
            for chunk in response.iter_raw(KEPT):
                kept = chunk[:KEPT]
                break
        finally:
            response.close()
        text = kept.decode("utf-8", errors="replace") or None
        error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return Answer(response.status_code, error, text)

    def close(self) -> None:
        self.transport.close()
