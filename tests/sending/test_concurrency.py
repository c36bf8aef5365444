"""Safety limits under real concurrency: threads, real sockets, a threaded server."""

from __future__ import annotations

import threading
from collections import Counter

from service.models import Email
from tests.support.api import API, create_opp, parallel_sends
from tests.support.processes import run_threads
from tests.support.state import rows, set_site


def test_fifty_parallel_sends_against_a_cap_of_ten(client, app, live, site_key, fake_sg):
    set_site(app, site_key.site_id, daily_limit=10)
    # One card each: two addresses of one card share the per-prospect cooldown.
    opps = [create_opp(client, source_url=f"https://c{i}.example/p")["id"] for i in range(50)]
    jobs = [(opps[i], f"person{i}@race.example") for i in range(50)]
    results = parallel_sends(live.url, site_key, jobs)
    codes = Counter(r.status_code for r in results)
    assert codes == {201: 10, 429: 40}, codes
    refused = [r for r in results if r.status_code == 429]
    assert all(
        r.json()["limit"] == "daily_cap"
        and int(r.headers["Retry-After"]) > 0
        and r.json()["retry_at"]
        for r in refused
    )
    assert "Daily limit of 10 emails reached for this site" in refused[0].json()["message"]
    assert len(fake_sg.messages) == 10
    assert Counter(e.send_state for e in rows(app, Email)) == {"sent": 10}
    cards = [client.get(f"{API}/opportunities/{o}").json for o in opps]
    assert sum(c["emails_sent"] for c in cards) == 10


def test_twenty_parallel_sends_to_one_address(client, app, live, site_key, fake_sg):
    opp = create_opp(client)["id"]
    addresses = ["Same@Race.example", "same@race.example", "SAME@RACE.EXAMPLE"]
    jobs = [(opp, addresses[i % 3]) for i in range(20)]
    results = parallel_sends(live.url, site_key, jobs)
    codes = Counter(r.status_code for r in results)
    assert codes == {201: 1, 429: 19}, codes
    assert all(r.json()["limit"] == "cooldown" for r in results if r.status_code == 429)
    assert len(fake_sg.messages) == 1
    card = client.get(f"{API}/opportunities/{opp}").json
    assert card["emails_sent"] == 1 and card["status"] == "reached"


def test_parallel_overlapping_webhook_batches(client, app, live, site_key, fake_sg):
    """SendGrid posts batches in parallel and repeats them: every event is stored once."""
    import time

    from service.models import EmailEvent
    from tests.support.api import email_json, sent_email
    from tests.support.fake_sendgrid import message_for

    emails = [sent_email(client, to=f"w{i}@hook{i}.example") for i in range(6)]
    events = []
    for i, email in enumerate(emails):
        msg = message_for(fake_sg, email["id"])
        t = int(time.time()) - 600 + i
        events += [
            fake_sg.event(msg, k, at=t + n)
            for n, k in enumerate(("processed", "delivered", "open", "click", "open"))
        ]
    batches = [fake_sg.shuffled(events, seed=s)[: 20 + s] for s in range(8)] + [events] * 2
    url = live.url + "/sendgrid/webhook"
    barrier = threading.Barrier(len(batches))
    codes = []

    def post(batch):
        barrier.wait()
        codes.append(fake_sg.post_events(url, batch).status_code)

    run_threads(post, [(b,) for b in batches])
    assert codes == [200] * len(batches)
    stored = [e for e in rows(app, EmailEvent) if e.sg_event_id]
    assert len(stored) == len(events) == len({e.sg_event_id for e in stored})
    assert {email_json(client, e)["status"] for e in emails} == {"clicked"}
