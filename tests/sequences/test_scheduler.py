"""Scheduler passes on a frozen clock: timing, completion, postponement, retries, leases."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from service.domain.sequences import claims
from service.models import Email, Enrollment
from service.worker.scheduler import Scheduler
from tests.support.api import create_opp, enroll, make_sequence, sequence_of, settings
from tests.support.state import fetch, select_rows

TO = "editor@blog.example.org"


def enrollment(session, enrollment_id) -> Enrollment:
    return fetch(session, Enrollment, enrollment_id)


def test_steps_go_when_due_never_early_and_complete(
    client, started, clock, scheduler, sendgrid, session
):
    eid = started["enrollment"]["id"]
    clock.advance(hours=71, minutes=59)
    assert scheduler.run_pass()["sent"] == 0
    assert len(sendgrid.messages) == 1
    clock.advance(minutes=1)
    assert scheduler.run_pass()["sent"] == 1
    step2_at = clock.now()
    e = enrollment(session, eid)
    assert e.current_step == 2 and e.next_step_at == step2_at + timedelta(hours=72)
    assert e.lease_owner is None
    clock.advance(hours=72)
    assert scheduler.run_pass()["sent"] == 1
    e = enrollment(session, eid)
    assert (e.status, e.current_step, e.next_step_at) == ("completed", 3, None)
    clock.advance(hours=500)
    assert sum(scheduler.run_pass().values()) == 0
    # Steps 2 and 3 answer step 1's thread (docs/api.md, conversations).
    assert sendgrid.subjects_to(TO) == ["Step 1 for blog.example.org"] + 2 * [
        "Re: Step 1 for blog.example.org"
    ]
    steps = [e.step for e in select_rows(session, select(Email).order_by(Email.id))]
    assert steps == [1, 2, 3]
    card = client.get(f"/api/v1/opportunities/{started['opp']}").json
    assert card["sequence"]["status"] == "completed" and card["emails_sent"] == 3


def test_fractional_delays_and_first_delay_ignored(
    client, templates3, clock, scheduler, sendgrid, session
):
    settings(client, cooldown_hours=0)
    opp = create_opp(client)["id"]
    steps = [
        {"template_id": templates3[0], "delay_hours": 500},
        {"template_id": templates3[1], "delay_hours": 0.25},
    ]
    seq = sequence_of(client, steps, "Fast")
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 201 and len(sendgrid.messages) == 1
    assert datetime.fromisoformat(r.json["next_step_at"]) == clock.now() + timedelta(minutes=15)
    clock.advance(minutes=15)
    assert scheduler.run_pass()["sent"] == 1
    assert enrollment(session, r.json["id"]).status == "completed"


def test_cooldown_postpones_to_retry_at(client, templates3, clock, scheduler, sendgrid, session):
    settings(client, cooldown_hours=100)
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3[:2])
    start = clock.now()
    eid = enroll(client, opp, seq["id"]).json["id"]
    clock.advance(hours=72)
    counts = scheduler.run_pass()
    assert counts["postponed"] == 1 and counts["sent"] == 0
    e = enrollment(session, eid)
    assert e.status == "active" and e.next_step_at == start + timedelta(hours=100)
    assert "cooldown" in e.last_error or "less than" in e.last_error
    card = client.get(f"/api/v1/opportunities/{opp}").json
    assert datetime.fromisoformat(card["sequence"]["next_step_at"]) == e.next_step_at
    clock.advance(hours=27, minutes=59)
    assert scheduler.run_pass()["sent"] == 0
    clock.advance(minutes=1)
    assert scheduler.run_pass()["sent"] == 1
    assert len(sendgrid.messages) == 2
    assert enrollment(session, eid).status == "completed"


def test_daily_cap_postpones_then_sends(client, templates3, clock, scheduler, sendgrid, session):
    settings(client, daily_limit=2, cooldown_hours=0)
    seq = make_sequence(client, templates3[:2], delay_hours=1)
    start = clock.now()
    first = enroll(
        client, create_opp(client, "https://a1.example/")["id"], seq["id"], to="a@a1.example"
    ).json["id"]
    clock.advance(minutes=10)
    second = enroll(
        client, create_opp(client, "https://a2.example/")["id"], seq["id"], to="b@a2.example"
    ).json["id"]
    clock.advance(hours=2)
    assert scheduler.run_pass()["postponed"] == 2
    for eid in (first, second):
        e = enrollment(session, eid)
        assert e.current_step == 1 and e.next_step_at == start + timedelta(hours=24)
    clock.set(start + timedelta(hours=24))
    counts = scheduler.run_pass()
    # one slot frees at +24h (the first email leaves the window); the other waits its turn.
    # Both are due at the same instant and worked concurrently, so either may take it.
    assert counts["sent"] == 1 and counts["postponed"] == 1
    done, waiting = sorted(
        (enrollment(session, e) for e in (first, second)), key=lambda e: e.status != "completed"
    )
    assert done.status == "completed" and waiting.status == "active"
    assert waiting.next_step_at == start + timedelta(hours=24, minutes=10)
    clock.set(start + timedelta(hours=24, minutes=10))
    assert scheduler.run_pass()["sent"] == 1
    assert len(sendgrid.messages) == 4


def test_delay_counts_from_the_previous_send(client, templates3, clock, scheduler, session):
    settings(client, cooldown_hours=30)
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3, delay_hours=24)
    start = clock.now()
    eid = enroll(client, opp, seq["id"]).json["id"]
    clock.advance(hours=24)
    assert scheduler.run_pass()["postponed"] == 1
    clock.set(start + timedelta(hours=30))
    assert scheduler.run_pass()["sent"] == 1
    assert enrollment(session, eid).next_step_at == start + timedelta(hours=54)


def test_sendgrid_5xx_is_retried_with_backoff_then_sent_once(
    started, clock, scheduler, sendgrid, session
):
    eid = started["enrollment"]["id"]
    sendgrid.fail_next(500)
    sendgrid.fail_next(503)
    clock.advance(hours=72)
    assert scheduler.run_pass()["retry"] == 1
    e = enrollment(session, eid)
    assert e.attempts == 1 and e.next_step_at == clock.now() + timedelta(minutes=1)
    assert "attempt 1 failed" in e.last_error
    clock.advance(minutes=1)
    assert scheduler.run_pass()["retry"] == 1
    assert enrollment(session, eid).next_step_at == clock.now() + timedelta(minutes=4)
    clock.advance(minutes=4)
    assert scheduler.run_pass()["sent"] == 1
    e = enrollment(session, eid)
    assert (e.current_step, e.attempts, e.last_error) == (2, 0, None)
    assert len(sendgrid.messages) == 2
    found = select_rows(session, select(Email).where(Email.enrollment_id == eid))
    assert sorted((r.step, r.send_state) for r in found) == [(1, "sent"), (2, "sent")]


def test_persistent_failure_stops_visibly(client, started, clock, scheduler, sendgrid, session):
    eid = started["enrollment"]["id"]
    sendgrid.fail_next(500, "stub error 500", times=10)
    clock.advance(hours=72)
    outcomes = []
    for _ in range(6):
        counts = scheduler.run_pass()
        outcomes += list(counts.elements())
        clock.advance(hours=1)
    assert outcomes == ["retry", "retry", "retry", "failed"]
    e = enrollment(session, eid)
    assert (e.status, e.stop_reason, e.current_step) == ("stopped", "failed", 1)
    assert "Giving up" in e.last_error and "stub error 500" in e.last_error
    got = client.get(f"/api/v1/opportunities/{started['opp']}/sequence").json
    assert got["stop_reason"] == "failed" and got["last_error"] == e.last_error
    assert len(sendgrid.messages) == 1


def test_foreign_lease_is_respected_until_it_expires(
    started, clock, scheduler, sendgrid, session, app
):
    eid = started["enrollment"]["id"]
    clock.advance(hours=72)
    session.execute(
        update(Enrollment)
        .where(Enrollment.id == eid)
        .values(lease_owner="someone-else", lease_until=clock.now() + timedelta(minutes=5))
    )
    session.commit()
    assert sum(scheduler.run_pass().values()) == 0
    clock.advance(minutes=5, seconds=1)
    assert scheduler.run_pass()["sent"] == 1
    assert len(sendgrid.messages) == 2


def test_pending_row_of_a_dead_sender_is_never_resent(started, clock, scheduler, sendgrid, session):
    """A process died after reserving step 2 (row committed, SendGrid maybe called)."""
    from service.domain.sequences import prepare

    eid = started["enrollment"]["id"]
    clock.advance(hours=72)
    claimed = claims.claim(session, "dead-process", clock.now(), timedelta(minutes=5), 10)
    assert [row[0] for row in claimed] == [eid]
    mail = scheduler.rt.mailer  # never called: the process dies before the hand-over
    jobs, _ = prepare.prepare_chunk(
        session, [eid], "dead-process", clock.now(), timedelta(minutes=5), mail
    )
    assert [job.enrollment.id for job in jobs] == [eid]  # step 2 reserved, about to go
    session.commit()  # ... and the process is killed here
    clock.advance(minutes=4)
    assert sum(scheduler.run_pass().values()) == 0  # its lease still holds
    clock.advance(minutes=2)
    assert scheduler.run_pass()["recovered"] == 1
    e = enrollment(session, eid)
    assert e.current_step == 2 and "not repeated" in e.last_error
    row = select_rows(session, select(Email).where(Email.enrollment_id == eid, Email.step == 2))[0]
    assert row.send_state == "unknown"
    assert len(sendgrid.messages) == 1  # never resent
    clock.advance(hours=72)
    assert scheduler.run_pass()["sent"] == 1  # the sequence goes on with step 3
    assert enrollment(session, eid).status == "completed"


def test_definite_refusal_stops_at_once(client, started, clock, scheduler, sendgrid, session):
    eid = started["enrollment"]["id"]
    sendgrid.fail_next(400, "stub error 400")
    clock.advance(hours=72)
    assert scheduler.run_pass()["failed"] == 1
    e = enrollment(session, eid)
    assert (e.status, e.stop_reason, e.attempts) == ("stopped", "failed", 1)
    assert "stub error 400" in e.last_error


def test_refused_step_one_answers_502_and_is_retried(
    client, templates3, clock, scheduler, sendgrid, session
):
    opp = create_opp(client)["id"]
    seq = make_sequence(client, templates3[:1])
    sendgrid.fail_next(503)
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 502, r.json
    assert "retried" in r.json["message"] and r.json["enrollment_id"]
    got = client.get(f"/api/v1/opportunities/{opp}/sequence").json
    assert got["status"] == "active" and got["current_step"] == 0 and "503" in got["last_error"]
    clock.advance(minutes=1)
    assert scheduler.run_pass()["sent"] == 1
    assert enrollment(session, got["id"]).status == "completed"
    assert len(sendgrid.messages) == 1


def test_timeout_is_never_repeated_and_the_sequence_goes_on(
    app, started, clock, scheduler, sendgrid, session
):
    """SendGrid took step 2 but answered too late: unknown, not resent, step 3 follows."""
    http = scheduler.rt.mailer.client.client  # the SendGrid library behind the mail port
    usual, http.timeout = http.timeout, 0.3
    eid = started["enrollment"]["id"]
    sendgrid.stall_next(1.0)
    clock.advance(hours=72)
    assert scheduler.run_pass()["unknown"] == 1
    http.timeout = usual  # 0.3 s would time out ordinary sends too on a busy machine
    e = enrollment(session, eid)
    assert e.current_step == 2 and "not repeated" in e.last_error
    row = select_rows(session, select(Email).where(Email.enrollment_id == eid, Email.step == 2))[0]
    assert row.send_state == "unknown"
    assert len(sendgrid.messages) == 2  # it did arrive, once
    clock.advance(hours=72)
    assert scheduler.run_pass()["sent"] == 1
    e = enrollment(session, eid)
    assert (e.status, e.last_error) == ("completed", None)
    assert len(sendgrid.messages) == 3


def _reserve_manual(app, opportunity_id: int, now, to: str = TO) -> int:
    """What POST .../emails commits before calling SendGrid (the process then dies)."""
    from service.domain.sending import send_path
    from service.domain.templates import rendering
    from service.models import Opportunity, Site

    with app.extensions["outreach"].session_factory() as s:
        opp = s.get(Opportunity, opportunity_id)
        site = s.get(Site, opp.site_id)
        email = send_path.reserve(
            s,
            site,
            opp,
            to,
            rendering.render("Hi", "About {{url}}", rendering.values_for(opp)),
            template_id=None,
            actor=7,
            now=now,
        )
        s.commit()
        return email.id


def test_manual_send_left_pending_by_a_dead_process_becomes_unknown(app, client, clock, session):
    from service.models import EmailEvent

    scheduler = Scheduler(app, owner="test-sweeper", kind="stale-sends")
    settings(client, cooldown_hours=0)  # two addresses of one prospect, minutes apart
    opp = create_opp(client)["id"]
    old = _reserve_manual(app, opp, clock.now())
    clock.advance(minutes=4)
    recent = _reserve_manual(app, opp, clock.now(), to="other@blog.example.org")
    clock.advance(minutes=2)
    scheduler.run_pass()
    assert fetch(session, Email, old).send_state == "unknown"
    assert "stopped before SendGrid answered" in fetch(session, Email, old).error
    assert fetch(session, Email, recent).send_state == "pending"  # may still be sending
    kinds = select_rows(session, select(EmailEvent.type).where(EmailEvent.email_id == old))
    assert list(kinds) == ["unknown"]
    clock.advance(minutes=4)
    scheduler.run_pass()
    assert fetch(session, Email, recent).send_state == "unknown"
    history = client.get(f"/api/v1/opportunities/{opp}/emails").json
    assert {e["send_state"] for e in history} == {"unknown"}


def test_card_says_which_step_is_next_and_why_it_waits(client, templates3, clock, scheduler):
    settings(client, daily_limit=1, cooldown_hours=0)
    seq = make_sequence(client, templates3, delay_hours=1)
    opp = create_opp(client)["id"]
    enroll(client, opp, seq["id"])
    clock.advance(hours=2)
    assert scheduler.run_pass()["postponed"] == 1
    summary = client.get(f"/api/v1/opportunities/{opp}").json["sequence"]
    assert summary["current_step"] == 1 and summary["total_steps"] == 3
    assert summary["last_error"].startswith("Step 2 postponed: Daily limit of 1 emails")
    board = client.get("/api/v1/board").json["columns"]["reached"]
    assert next(c for c in board if c["id"] == opp)["sequence"] == summary
    clock.advance(hours=23)
    assert scheduler.run_pass()["sent"] == 1
    summary = client.get(f"/api/v1/opportunities/{opp}").json["sequence"]
    assert summary["current_step"] == 2 and summary["last_error"] is None
