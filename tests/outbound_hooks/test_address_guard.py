"""The link checker's address guard applies to webhook URLs (docs/api.md §17)."""

from __future__ import annotations

import pytest

from service.domain.outbound_hooks.sender import HookSender
from tests.support.api import assert_error

API = "/api/v1/webhooks"


@pytest.fixture
def app_settings():
    """As in production: public addresses only."""
    return {"LINKCHECK_ALLOW_PRIVATE": False}


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/h", "http://10.1.2.3/h", "http://[::1]/h", "http://localhost/h"]
)
def test_private_addresses_are_refused(client, url):
    answer = assert_error(client.post(API, json={"url": url, "events": ["link.won"]}), 422)
    assert "address" in str(answer)
    assert client.get(API).get_json() == []


def test_a_delivery_to_a_name_that_turned_private_is_refused(client):
    answer = HookSender(allow_private=False, timeout=1).post("http://localhost:9/h", {}, "{}")
    assert answer.status_code is None and "loopback" in answer.error


def test_ports_other_than_80_and_443_are_refused(client):
    body = {"url": "https://hooks.example:8080/h", "events": ["link.won"]}
    answer = assert_error(client.post(API, json=body), 422)
    assert "port 8080" in str(answer)


def test_many_threads_posting_to_one_host_all_get_through(receiver, monkeypatch):
    """Every Slack endpoint is on hooks.slack.com: the shared resolver takes two pending
    lookups of a host at most, and refused the others (deliveries failed as DNS errors)."""
    import socket
    import threading

    from service.net import resolver

    real = socket.getaddrinfo

    def slow_dns(*args, **kwargs):
        threading.Event().wait(0.2)  # a resolver that takes its time
        return real(*args, **kwargs)

    monkeypatch.setattr(resolver.socket, "getaddrinfo", slow_dns)
    sender = HookSender(allow_private=True, timeout=5)
    url = receiver.plan("shared").replace("127.0.0.1", "localhost")
    answers = []

    def post():
        answers.append(sender.post(url, {}, "{}"))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.error for a in answers] == [None] * 8
