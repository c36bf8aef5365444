"""Every stop condition: through the real webhook/reply paths and the scheduler's re-check."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import event, update

from service.models import Email, Enrollment, Suppression
from tests.support.api import create_opp, enroll, make_sequence, settings
from tests.support.state import fetch, select_rows

TO = "editor@blog.example.org"


def webhook(client_app, email_id: int, site_id: int, event: str, at: float, **extra):
    ev = {
        "email": TO,
        "event": event,
        "timestamp": int(at),
        "sg_event_id": secrets.token_hex(8),
        "outreach_email_id": str(email_id),
        "outreach_site_id": str(site_id),
        **extra,
    }
    r = client_app.test_client().post("/sendgrid/webhook", json=[ev])
    assert r.status_code == 200, r.get_json()


def step_email(session, enrollment_id: int, step: int) -> Email:
    from sqlalchemy import select

    return select_rows(
        session, select(Email).where(Email.enrollment_id == enrollment_id, Email.step == step)
    )[0]


def due_and_run(clock, scheduler):
    clock.advance(hours=72)
    return scheduler.run_pass()


@pytest.mark.parametrize(
    "event,reason", [("click", "click"), ("open", "open"), ("bounce", "bounce")]
)
def test_webhook_engagement_stops(
    app, started, clock, scheduler, sendgrid, session, site_key, event, reason
):
    eid = started["enrollment"]["id"]
    email = step_email(session, eid, 1)
    webhook(
        app,
        email.id,
        site_key.site_id,
        event,
        clock.now().timestamp(),
        **({"url": "https://x.example/"} if event == "click" else {}),
    )
    e = fetch(session, Enrollment, eid)
    assert (e.status, e.stop_reason) == ("stopped", reason)
    due_and_run(clock, scheduler)
    assert len(sendgrid.messages) == 1


def test_manual_reply_stops(client, started, clock, scheduler, sendgrid, session):
    eid = started["enrollment"]["id"]
    email = step_email(session, eid, 1)
    r = client.post(f"/api/v1/emails/{email.id}/replied")
    assert r.status_code == 200, r.json
    assert fetch(session, Enrollment, eid).stop_reason == "reply"
    due_and_run(clock, scheduler)
    assert len(sendgrid.messages) == 1


def test_machine_open_does_not_stop(app, started, clock, scheduler, sendgrid, session, site_key):
    eid = started["enrollment"]["id"]
    email = step_email(session, eid, 1)
    webhook(app, email.id, site_key.site_id, "open", clock.now().timestamp(), sg_machine_open=True)
    assert fetch(session, Enrollment, eid).status == "active"
    assert due_and_run(clock, scheduler)["sent"] == 1
    assert len(sendgrid.messages) == 2


def test_switch_off_means_no_stop(
    client, app, templates3, clock, scheduler, sendgrid, session, site_key
):
    opp = create_opp(client)["id"]
    off = {"stop_on_open": False, "stop_on_click": False}
    seq = make_sequence(client, templates3[:2], "Opens ok", **off)
    eid = enroll(client, opp, seq["id"]).json["id"]
    email = step_email(session, eid, 1)
    webhook(app, email.id, site_key.site_id, "open", clock.now().timestamp())
    webhook(
        app,
        email.id,
        site_key.site_id,
        "click",
        clock.now().timestamp() + 1,
        url="https://x.example/",
    )
    assert fetch(session, Enrollment, eid).status == "active"
    assert due_and_run(clock, scheduler)["sent"] == 1


@pytest.mark.parametrize(
    "column,reason",
    [
        ("replied_at", "reply"),
        ("clicked_at", "click"),
        ("opened_at", "open"),
        ("bounced_at", "bounce"),
    ],
)
def test_recheck_right_before_the_send(
    started, clock, scheduler, sendgrid, session, column, reason
):
    """An engagement whose own stop hook did not run is still caught before the next send."""
    eid = started["enrollment"]["id"]
    session.execute(update(Email).where(Email.enrollment_id == eid).values(**{column: clock.now()}))
    session.commit()
    assert due_and_run(clock, scheduler)["stopped"] == 1
    e = fetch(session, Enrollment, eid)
    assert (e.status, e.stop_reason, e.current_step) == ("stopped", reason, 1)
    assert len(sendgrid.messages) == 1


def test_suppressed_address_stops(started, clock, scheduler, sendgrid, session, site_key):
    eid = started["enrollment"]["id"]
    session.add(
        Suppression(
            site_id=site_key.site_id, email=TO, reason="unsubscribed", created_at=clock.now()
        )
    )
    session.commit()
    assert due_and_run(clock, scheduler)["stopped"] == 1
    assert fetch(session, Enrollment, eid).stop_reason == "suppressed"
    assert len(sendgrid.messages) == 1


def test_reply_to_a_manual_email_stops(client, started, clock, scheduler, sendgrid, session):
    settings(client, cooldown_hours=0)
    r = client.post(
        f"/api/v1/opportunities/{started['opp']}/emails",
        json={"to": TO, "subject": "Quick one", "body": "Manual"},
    )
    assert r.status_code == 201, r.json
    client.post(f"/api/v1/emails/{r.json['id']}/replied")
    due_and_run(clock, scheduler)
    assert fetch(session, Enrollment, started["enrollment"]["id"]).stop_reason == "reply"
    assert len(sendgrid.messages) == 2


def test_moving_the_card_to_won_stops_its_sequence(
    client, started, clock, scheduler, sendgrid, session
):
    r = client.post(f"/api/v1/opportunities/{started['opp']}/move", json={"status": "won"})
    assert r.status_code == 200
    assert r.json["sequence"]["status"] == "stopped"
    assert fetch(session, Enrollment, started["enrollment"]["id"]).stop_reason == "won"
    assert sum(due_and_run(clock, scheduler).values()) == 0
    assert len(sendgrid.messages) == 1


def test_deleting_the_card_stops_its_sequence_and_sends_nothing_more(
    client, started, clock, scheduler, sendgrid, session
):
    assert client.delete(f"/api/v1/opportunities/{started['opp']}").status_code == 204
    assert fetch(session, Enrollment, started["enrollment"]["id"]).stop_reason == "deleted"
    assert sum(due_and_run(clock, scheduler).values()) == 0
    assert len(sendgrid.messages) == 1


def test_a_chunk_asks_the_list_once_and_a_listed_domain_still_stops(
    app, client, templates3, clock, scheduler, sendgrid, session, site_key
):
    settings(client, cooldown_hours=0, min_spacing_seconds=0)
    seq = make_sequence(client, templates3[:2])
    ids = []
    for host in ("a.example", "mail.b.example", "c.example"):
        opp = create_opp(client, f"https://{host}/post")["id"]
        ids.append(enroll(client, opp, seq["id"], to=f"editor@{host}").json["id"])
    session.add(
        Suppression(
            site_id=site_key.site_id,
            email="b.example",
            kind="domain",
            reason="manual",
            created_at=clock.now(),
        )
    )
    session.commit()
    asked = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM suppressions" in statement:
            asked.append(statement)

    event.listen(app.extensions["outreach"].engine, "before_cursor_execute", count)
    try:
        counts = due_and_run(clock, scheduler)
    finally:
        event.remove(app.extensions["outreach"].engine, "before_cursor_execute", count)
    assert (counts["sent"], counts["stopped"]) == (2, 1)
    assert fetch(session, Enrollment, ids[1]).stop_reason == "suppressed"
    assert len(asked) == 1  # one chunk of three steps, one question to the list
