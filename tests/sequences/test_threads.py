"""Follow-up steps answer the first email's thread: Re: subject, In-Reply-To, References."""

from __future__ import annotations

from tests.support.api import create_opp, enroll, make_sequence, settings
from tests.support.fake_sendgrid import message_for


def _two_steps(client, templates3, **extra):
    settings(client, cooldown_hours=0)  # steps an hour apart
    seq = make_sequence(client, templates3[:2], delay_hours=1, **extra)
    opp = create_opp(client)["id"]
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 201, r.json
    history = client.get(f"/api/v1/opportunities/{opp}/emails").json
    return opp, history[0]


def _processed(app, sendgrid, email_id):
    event = sendgrid.event(message_for(sendgrid, email_id), "processed")
    r = app.test_client().post("/sendgrid/webhook", json=[event])
    assert r.status_code == 200, r.json
    return event["smtp-id"]


def _second(client, opp):
    return client.get(f"/api/v1/opportunities/{opp}/emails").json[0]


def test_second_step_is_a_reply_in_the_first_thread(
    app, client, templates3, clock, scheduler, sendgrid
):
    opp, first = _two_steps(client, templates3)
    smtp_id = _processed(app, sendgrid, first["id"])
    clock.advance(hours=2)
    assert scheduler.run_pass()["sent"] == 1
    second = _second(client, opp)
    request = message_for(sendgrid, second["id"])["request"]
    assert request["subject"] == "Re: Step 1 for blog.example.org" == second["subject"]
    assert request["headers"] == {"In-Reply-To": smtp_id, "References": smtp_id}


def test_without_a_message_id_yet_the_subject_threads_and_the_event_says_so(
    client, templates3, clock, scheduler, sendgrid
):
    opp, _ = _two_steps(client, templates3)
    clock.advance(hours=2)
    assert scheduler.run_pass()["sent"] == 1
    second = _second(client, opp)
    request = message_for(sendgrid, second["id"])["request"]
    assert request["subject"] == "Re: Step 1 for blog.example.org" and "headers" not in request
    [note] = [e for e in second["events"] if e["type"] == "threaded"]
    assert "Message-ID" in note["detail"]["note"]


def test_thread_new_keeps_its_own_subject(app, client, templates3, clock, scheduler, sendgrid):
    opp, first = _two_steps(client, templates3, thread="new")
    _processed(app, sendgrid, first["id"])
    clock.advance(hours=2)
    assert scheduler.run_pass()["sent"] == 1
    request = message_for(sendgrid, _second(client, opp)["id"])["request"]
    assert request["subject"] == "Step 2 for blog.example.org" and "headers" not in request


def test_thread_is_validated(client, templates3):
    steps = [{"template_id": templates3[0], "thread": "sideways"}]
    r = client.post("/api/v1/sequences", json={"name": "x", "steps": steps})
    assert r.status_code == 422
    seq = make_sequence(client, templates3[:2], thread="new")
    assert [s["thread"] for s in seq["steps"]] == ["new", "new"]
