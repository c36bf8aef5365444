"""The bounce brake: pause on a bounce share over the last 50 sent emails, resume by hand."""

from __future__ import annotations

import time

from service.models import AuditEntry, Enrollment, Suppression
from tests.support import api
from tests.support.api import API, assert_error, create_opp, send, settings
from tests.support.apps import webhook_url
from tests.support.fake_sendgrid import message_for
from tests.support.state import fetch, rows

T0 = int(time.time()) - 3600


def send_many(client, n, prefix="p"):
    """n accepted emails to n different addresses; their JSON."""
    settings(
        client, cooldown_hours=0
    )  # many emails on one card: the per-prospect cooldown (its own tests) would hold them
    opp = create_opp(client, source_url=f"https://{prefix}.example/page")["id"]
    out = []
    for i in range(n):
        r = send(client, opp, to=f"{prefix}{i}@{prefix}{i}.example")
        assert r.status_code == 201, r.json
        out.append(r.json)
    return out


def bounce(fake_sg, live, emails, per_email=1, **fields):
    events = [
        fake_sg.event(message_for(fake_sg, e["id"]), "bounce", at=T0 + k, **fields)
        for e in emails
        for k in range(per_email)
    ]
    r = fake_sg.post_events(webhook_url(live), events)
    assert r.status_code == 200, r.text
    return r.json()


def audits(app, action):
    return [a for a in rows(app, AuditEntry) if a.action == action]


def test_a_burst_of_200_bounces_pauses_once_and_resume_starts_afresh(
    client, app, live, fake_sg, clock
):
    emails = send_many(client, 50)
    assert bounce(fake_sg, live, emails[:40], per_email=5)["stored"] == 200
    site = client.get(f"{API}/site").json
    assert site["paused"] is True and site["paused_at"]
    assert site["paused_reason"].startswith("40 of the last 50 emails bounced")
    assert len(audits(app, "site.pause")) == 1
    opp = create_opp(client, source_url="https://after.example/p")["id"]
    r = send(client, opp, to="new@after.example")
    body = assert_error(r, 429, "paused")
    assert body["limit"] == "paused" and "retry_at" not in body and "Retry-After" not in r.headers
    assert len(fake_sg.messages) == 50

    assert client.patch(f"{API}/site", json={"paused": False}).json["paused"] is False
    [resumed] = audits(app, "site.resume")
    assert resumed.changes["was"].startswith("40 of the last 50")
    bounce(fake_sg, live, emails[40:])  # late bounces of emails sent before the resume
    assert client.get(f"{API}/site").json["paused"] is False
    clock.advance(seconds=1)
    fresh = send_many(client, 20, prefix="q")
    bounce(fake_sg, live, fresh[:2])
    assert client.get(f"{API}/site").json["paused"] is False  # 2 of 50 is under 5 %
    bounce(fake_sg, live, fresh[2:3])
    assert client.get(f"{API}/site").json["paused"] is True
    assert len(audits(app, "site.pause")) == 2


def test_too_few_sends_to_judge_and_the_brake_off(client, live, fake_sg):
    emails = send_many(client, 19)
    bounce(fake_sg, live, emails)
    assert client.get(f"{API}/site").json["paused"] is False  # 19 sends: too few to judge
    settings(client, bounce_brake_percent=0)
    more = send_many(client, 10, prefix="r")
    bounce(fake_sg, live, more)
    assert client.get(f"{API}/site").json["paused"] is False
    settings(client, bounce_brake_percent=50)
    bounce(fake_sg, live, more[:1], per_email=1, reason="again")
    assert client.get(f"{API}/site").json["paused"] is True  # 29 of 29 bounced


def test_sendgrid_5xx_are_not_bounces(client, live, fake_sg):
    settings(
        client, cooldown_hours=0
    )  # many emails on one card: the per-prospect cooldown (its own tests) would hold them
    fake_sg.fail_next(500, "Internal Server Error", times=30)
    opp = create_opp(client, source_url="https://down.example/p")["id"]
    for i in range(30):
        assert send(client, opp, to=f"d{i}@down{i}.example").status_code == 502
    emails = send_many(client, 20)
    bounce(fake_sg, live, emails[:3])
    reason = client.get(f"{API}/site").json["paused_reason"]
    assert reason.startswith("3 of the last 20 emails bounced")


def test_a_blocked_bounce_does_not_suppress_the_address(client, app, live, fake_sg):
    settings(client, cooldown_hours=0)
    [email] = send_many(client, 1)
    bounce(fake_sg, live, [email], type="blocked", reason="550 blocked by policy")
    assert rows(app, Suppression) == []
    again = send(client, email["opportunity_id"], to="p0@p0.example")
    assert again.status_code == 201, again.json
    bounce(fake_sg, live, [again.json])  # a hard bounce does
    assert [s.reason for s in rows(app, Suppression)] == ["bounced"]


def test_paused_sites_hold_due_steps_until_resumed(client, app, clock, fake_sg, session):
    from service.worker.scheduler import Scheduler

    scheduler = Scheduler(app, owner="brake-test", kind="sequence-steps")
    templates = [api.create_template(client, f"T{i}")["id"] for i in (1, 2)]
    opp = create_opp(client)["id"]
    eid = api.enroll(client, opp, api.make_sequence(client, templates)["id"]).json["id"]
    assert client.patch(f"{API}/site", json={"paused": True}).json["paused"] is True
    other = create_opp(client, source_url="https://x.example/p")["id"]
    second = api.make_sequence(client, templates, name="B")["id"]
    assert_error(api.enroll(client, other, second, to="x@x.example"), 429, "paused")
    clock.advance(hours=72)
    assert scheduler.run_pass().get("sent", 0) == 0
    waiting = fetch(session, Enrollment, eid)
    assert waiting.status == "active" and "paused" in waiting.last_error
    assert waiting.next_step_at > clock.now()
    settings(client, paused=False)
    clock.advance(minutes=5)
    assert scheduler.run_pass()["sent"] == 1
    assert len(fake_sg.messages) == 2


def test_parallel_bounce_batches_pause_once(client, app, live, fake_sg):
    from tests.support.processes import run_threads

    emails = send_many(client, 30)
    batches = [
        [fake_sg.event(message_for(fake_sg, e["id"]), "bounce", at=T0) for e in emails[i::4]]
        for i in range(4)
    ]
    codes = []
    run_threads(
        lambda batch: codes.append(fake_sg.post_events(webhook_url(live), batch).status_code),
        [(b,) for b in batches],
    )
    assert codes == [200] * 4
    assert client.get(f"{API}/site").json["paused"] is True
    assert len(audits(app, "site.pause")) == 1
