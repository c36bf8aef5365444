"""SIGKILL of the API worker in the middle of a request leaves nothing half-written.

Gunicorn runs one worker, so the request in flight is known to be in the process killed;
the arbiter starts a fresh worker and the client simply retries, as SendGrid does.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from service.models import Email, EmailEvent, Opportunity
from tests.reliability.faults import FaultPoint
from tests.reliability.mailworld import arrange_emails, comparable, events_for, snapshot
from tests.reliability.servers import Gunicorn
from tests.support.fake_sendgrid import API_KEY, FakeSendGrid
from tests.support.processes import healthy, wait_for
from tests.support.signed import SignedHttpClient
from tests.support.state import make_site


@pytest.fixture(scope="module")
def crash_server(database_url):
    fake = FakeSendGrid().start()
    env = {
        "SENDGRID_API_KEY": API_KEY,
        "SENDGRID_API_HOST": fake.host,
        "SENDGRID_TIMEOUT": "10",
        "SENDGRID_WEBHOOK_PUBLIC_KEY": fake.public_key,
    }
    with Gunicorn(database_url, workers=1, env=env) as server:
        yield server, fake
    fake.stop()


def _kill(pid: int) -> int:
    os.kill(pid, signal.SIGKILL)
    return pid


def _wait_for_new_worker(server, old_pid: int) -> None:
    """Until gunicorn has replaced the killed worker and answers again."""

    def replaced() -> bool:
        pids = server.worker_pids()
        return bool(pids) and old_pid not in pids and healthy(server.url)

    wait_for(replaced, 120, every=0.1)  # a fresh worker imports the app: slow on a busy box


def _stored(session, tag: str) -> int:
    session.expire_all()
    n = session.scalar(
        select(func.count(EmailEvent.id)).where(EmailEvent.sg_event_id.like(f"{tag}-%"))
    )
    session.rollback()
    return n


def test_webhook_batch_killed_mid_ingest_is_all_or_nothing(app, session, crash_server):
    server, fake = crash_server
    url = server.url + "/sendgrid/webhook"
    site_a, site_b = make_site(app, "A", "https://a.ex"), make_site(app, "B", "https://b.ex")
    emails_a = arrange_emails(session, site_a.site_id, 100, "a")
    emails_b = arrange_emails(session, site_b.site_id, 100, "b")
    base = int(time.time()) - 7200
    events_b = events_for(site_b.site_id, emails_b, 3000, "B", base=base)
    batches = [events_b[i : i + 500] for i in range(0, 3000, 500)]
    point = FaultPoint(server.fault_dir, "webhook_batch.before_commit")
    for n, batch in enumerate(batches):
        outcome = {}
        point.arm()
        poster = threading.Thread(
            target=lambda b=batch, out=outcome: out.update(r=_post_quietly(fake, url, b))
        )
        poster.start()
        # The worker has inserted the whole batch and not committed: kill it right there.
        old = _kill(point.wait_reached())
        poster.join()
        point.release()
        _wait_for_new_worker(server, old)
        assert outcome["r"] is None, f"batch {n} was answered: the kill missed the request"
        stored = sum(1 for ev in batch if _stored_one(session, ev["sg_event_id"]))
        assert stored == 0, f"batch {n}: {stored} of {len(batch)} stored"
    for batch in batches:  # SendGrid retries what was not acknowledged (all, to be sure)
        assert fake.post_events(url, batch).status_code == 200
    for batch in [
        events_for(site_a.site_id, emails_a, 3000, "A", base=base)[i : i + 500]
        for i in range(0, 3000, 500)
    ]:
        assert fake.post_events(url, batch).status_code == 200
    assert comparable(snapshot(session, emails_b)) == comparable(snapshot(session, emails_a))
    assert _stored(session, "B") == _stored(session, "A")


def _post_quietly(fake, url, batch):
    try:
        return fake.post_events(url, batch)
    except requests.RequestException:
        return None


def _stored_one(session, sg_event_id: str) -> bool:
    found = session.scalar(select(EmailEvent.id).where(EmailEvent.sg_event_id == sg_event_id))
    session.rollback()
    return found is not None


def test_send_killed_while_sendgrid_answers_is_never_doubled(app, session, crash_server):
    server, fake = crash_server
    fake.reset()
    key = make_site(app, "Send", "https://send.ex")
    client = SignedHttpClient(server.url, key)
    card = client.post("/api/v1/opportunities", json={"source_url": "https://p.ex/"}).json()
    body = {"to": "editor@p.ex", "subject": "Hi", "body": "Hello {{url}}"}
    outcome = {}
    fake.hold = threading.Event()  # SendGrid has the message and has not answered yet
    poster = threading.Thread(
        target=lambda: outcome.update(r=_send_quietly(client, card["id"], body))
    )
    poster.start()
    fake.wait_for(lambda f: f.arrived >= 1)
    old = _kill(server.worker_pids()[0])
    poster.join()
    _wait_for_new_worker(server, old)
    assert outcome["r"] is None  # the client saw the connection drop
    session.expire_all()
    rows = session.scalars(select(Email).where(Email.opportunity_id == card["id"])).all()
    assert len(rows) == 1 and rows[0].send_state == "pending"  # reserved, outcome unknown
    assert session.get(Opportunity, card["id"]).status == "new"  # nothing half-applied
    session.rollback()
    retry = client.post(f"/api/v1/opportunities/{card['id']}/emails", json=body)
    assert retry.status_code == 429 and retry.json()["limit"] == "cooldown"
    fake.hold.set()  # let the fake finish the first, abandoned delivery
    fake.wait_for(lambda f: f.answered >= 1)
    assert fake.arrived == 1 and len(fake.messages) == 1


def _send_quietly(client, oid, body):
    try:
        return client.post(f"/api/v1/opportunities/{oid}/emails", json=body)
    except requests.RequestException:
        return None
