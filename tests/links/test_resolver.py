"""Slow DNS (issue 21, finding 7): one host's lookups that never answer do not starve other
hosts' lookups, and a resolver failure is no evidence that a link is gone."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from service.domain.links import fetch as fetch_module
from service.domain.links.fetch import Refused
from service.net import resolver
from tests.links.pages import html
from tests.support.api import API, create_opp, settings
from tests.support.processes import run_threads, wait_for


@pytest.fixture
def slow_dns(monkeypatch):
    """slow.example never answers (until the test ends); every other name is 127.0.0.1;
    gone.example does not exist, flaky.example's resolver fails."""
    release = threading.Event()
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host == "slow.example":
            release.wait(60)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if host == "gone.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if host == "flaky.example":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real("127.0.0.1", port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    yield
    release.set()
    wait_for(lambda: resolver.in_flight() == 0, 10)


def test_a_slow_host_does_not_starve_the_others(slow_dns):
    slow_errors: list[str] = []

    def slow_lookup(_n):
        try:
            fetch_module.checked_address("slow.example", 80, True, 0.5)
        except Refused as exc:
            slow_errors.append(str(exc))

    run_threads(slow_lookup, [(n,) for n in range(12)], timeout=30)
    assert len(slow_errors) == 12
    assert sum(e.startswith("DNS: no answer for slow.example") for e in slow_errors) >= 1
    assert resolver.in_flight("slow.example") <= resolver.MAX_PER_HOST
    started = time.monotonic()
    for n in range(20):  # the slow host's lookups still hang: others answer at once
        assert fetch_module.checked_address(f"fast{n}.example", 80, True, 1.0) == "127.0.0.1"
    assert time.monotonic() - started < 2


def test_lookups_are_time_boxed(slow_dns):
    started = time.monotonic()
    with pytest.raises(Refused, match="DNS: no answer for slow.example in 0.3 s") as refused:
        fetch_module.checked_address("slow.example", 80, True, 0.3)
    assert time.monotonic() - started < 1.5
    assert refused.value.inconclusive and refused.value.host_failed


def won_card(client, pages, host: str):
    pages.routes["/p"] = html('<a href="https://a.example/product">us</a>')
    port = pages.base.rsplit(":", 1)[1]
    opp = create_opp(
        client, source_url=f"http://{host}:{port}/p", target_url="https://a.example/product"
    )
    assert client.post(f"{API}/opportunities/{opp['id']}/move", json={"status": "won"}).json
    return opp


def test_a_resolver_failure_does_not_count_towards_a_lost_link(client, pages, slow_dns):
    settings(client, link_lost_after=1)
    opp = won_card(client, pages, "flaky.example")
    r = client.post(f"{API}/opportunities/{opp['id']}/link-check")
    assert r.status_code == 200, r.json
    assert r.json["status"] == "unreachable" and r.json["error"].startswith("DNS: ")
    card = client.get(f"{API}/opportunities/{opp['id']}").json
    assert (card["status"], card["lost_link"]) == ("won", False)
    assert card["link_checked_at"] is not None


def test_a_name_that_does_not_exist_does_count(client, pages, slow_dns):
    settings(client, link_lost_after=1)
    opp = won_card(client, pages, "gone.example")
    r = client.post(f"{API}/opportunities/{opp['id']}/link-check")
    assert "does not resolve" in r.json["error"]
    card = client.get(f"{API}/opportunities/{opp['id']}").json
    assert (card["status"], card["lost_link"]) == ("new", True)


def test_concurrent_lookups_of_one_host_share_one_answer(monkeypatch):
    """Twelve senders to one provider at once (mailboxes on one SMTP host, webhook threads
    to one chat service) all get its address from one lookup; none is refused."""
    real, calls, asked = socket.getaddrinfo, [], []
    everyone_asked = threading.Event()

    def slowish(host, port, *args, **kwargs):
        calls.append(host)
        everyone_asked.wait(10)  # answers once all twelve are waiting for it
        return real("127.0.0.1", port, *args, **kwargs)

    def counted(host, port, timeout, lookup=resolver.lookup):
        asked.append(host)
        if len(asked) == 12:
            everyone_asked.set()
        return lookup(host, port, timeout)

    monkeypatch.setattr(socket, "getaddrinfo", slowish)
    monkeypatch.setattr(resolver, "lookup", counted)
    found: list[str] = []

    def look(_n):
        found.append(fetch_module.checked_address("smtp.provider.example", 465, True, 10.0))

    run_threads(look, [(n,) for n in range(12)], timeout=30)
    assert found == ["127.0.0.1"] * 12
    assert 1 <= len(calls) < 12  # shared (one, or another once the first has answered)
    wait_for(lambda: resolver.in_flight() == 0, 10)
