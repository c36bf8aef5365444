"""Webhook disorder through gunicorn: events thrice, shuffled, in parallel == once in order.

Two sites get identical emails. Site A receives every event once, in order, one batch at a
time. Site B receives the same events three times, shuffled, in parallel batches of 500.
Both must end in the same state. CI runs 2,000 events; `-m slow` runs 10,000.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.reliability.mailworld import arrange_emails, comparable, events_for, snapshot
from tests.reliability.servers import Gunicorn
from tests.support.fake_sendgrid import FakeSendGrid
from tests.support.state import make_site

EMAILS = 200


@pytest.fixture(scope="module")
def webhook_server(database_url):
    fake = FakeSendGrid()
    env = {"SENDGRID_WEBHOOK_PUBLIC_KEY": fake.public_key, "SENDGRID_API_KEY": "SG.x"}
    with Gunicorn(database_url, workers=2, env=env) as server:
        yield server, fake


def _deliver(fake, url, events, parallel: int) -> None:
    batches = [events[i : i + 500] for i in range(0, len(events), 500)]
    with ThreadPoolExecutor(parallel) as pool:
        for r in pool.map(lambda b: fake.post_events(url, b), batches):
            assert r.status_code == 200, r.text[:300]


def _run(app, session, webhook_server, count: int) -> None:
    server, fake = webhook_server
    url = server.url + "/sendgrid/webhook"
    site_a = make_site(app, "A", "https://a.example")
    site_b = make_site(app, "B", "https://b.example")
    emails_a = arrange_emails(session, site_a.site_id, EMAILS, "a")
    emails_b = arrange_emails(session, site_b.site_id, EMAILS, "b")
    base = int(time.time()) - 7200
    _deliver(fake, url, events_for(site_a.site_id, emails_a, count, "A", base=base), parallel=1)
    thrice = events_for(site_b.site_id, emails_b, count, "B", base=base) * 3
    random.Random(42).shuffle(thrice)
    _deliver(fake, url, thrice, parallel=4)
    expected, got = snapshot(session, emails_a), snapshot(session, emails_b)
    # Everything but the suppression's reason must match; the reason is checked apart.
    assert comparable(got) == comparable(expected)
    statuses = {row[1] for row in expected}
    assert "clicked" in statuses and len(statuses) >= 2  # the ladder was exercised
    assert sum(row[6] for row in expected) > 0
    return expected, got


def test_disorder_reaches_the_same_state(app, session, webhook_server):
    _run(app, session, webhook_server, 2_000)


def test_suppression_reason_is_order_independent(app, session, webhook_server):
    expected, got = _run(app, session, webhook_server, 2_000)
    assert [r[7] for r in got] == [r[7] for r in expected]


@pytest.mark.slow
def test_disorder_ten_thousand_events(app, session, webhook_server):
    _run(app, session, webhook_server, 10_000)
