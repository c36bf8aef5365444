"""200 concurrent sends against a daily cap of 100 through gunicorn: exactly 100 go out.

4 gunicorn worker processes x 4 threads (16 requests in flight); SendGrid answers after 20 ms.
tests/sending/test_concurrency.py covers the same race inside one process (50 vs 10); this
is the multi-process shape of production, on both backends.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from service.models import Email
from tests.reliability.servers import Gunicorn
from tests.support.fake_sendgrid import API_KEY, FakeSendGrid
from tests.support.processes import run_threads
from tests.support.signed import SignedHttpClient
from tests.support.state import make_site, new_cards


@pytest.fixture(scope="module")
def sending_server(database_url):
    fake = FakeSendGrid().start()
    env = {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.host, "SENDGRID_TIMEOUT": "10"}
    with Gunicorn(database_url, workers=4, threads=4, env=env) as server:
        yield server, fake
    fake.stop()


def _cards(session, site_id: int, count: int) -> list[int]:
    now = datetime.now(UTC)
    cards = new_cards(site_id, count, "c", now)
    session.add_all(cards)
    session.commit()
    return [c.id for c in cards]


def test_two_hundred_concurrent_sends_against_a_cap_of_one_hundred(app, session, sending_server):
    server, fake = sending_server
    fake.reset()
    fake.delay = 0.02
    key = make_site(app, "Load", "https://load.example", daily_limit=100)
    ids = _cards(session, key.site_id, 200)
    statuses, barrier = Counter(), threading.Barrier(50)
    lock = threading.Lock()

    def send(chunk):
        client = SignedHttpClient(server.url, key)
        barrier.wait()
        for oid in chunk:
            r = client.post(
                f"/api/v1/opportunities/{oid}/emails",
                json={"to": f"editor{oid}@c.example", "subject": "Hi", "body": "Hello {{url}}"},
            )
            with lock:
                statuses[(r.status_code, (r.json() or {}).get("limit"))] += 1

    run_threads(send, [(ids[i::50],) for i in range(50)])
    assert statuses == {(201, None): 100, (429, "daily_cap"): 100}, statuses
    assert len(fake.messages) == 100
    sent = Counter(m["request"]["personalizations"][0]["to"][0]["email"] for m in fake.messages)
    assert set(sent.values()) == {1}
    session.expire_all()
    count = session.scalar(select(func.count(Email.id)).where(Email.site_id == key.site_id))
    assert count == 100
