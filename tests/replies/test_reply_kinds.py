"""Replies understood (docs/api.md §16): kinds stored and shown, labels, and what each kind
does to the email, the sequence, the do-not-contact list and the metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.domain import events
from service.models import Email, Enrollment
from service.worker.scheduler import Scheduler
from tests.replies.test_conversations import _post
from tests.support.api import (
    API,
    create_opp,
    create_template,
    email_json,
    enroll,
    make_sequence,
    sent_email,
    settings,
    site_values,
)
from tests.support.state import fetch, rows

# (subject, text, extra headers): out-of-office answers in the eight languages of §16.
AUTO_REPLIES = {
    "en": ("Out of Office: hello", "I am out of the office with limited access to email.", ""),
    "de": ("Abwesenheitsnotiz: hello", "Vielen Dank für Ihre Nachricht.", ""),
    "fr": ("Réponse automatique : hello", "Je suis absent du bureau.", ""),
    "es": ("Respuesta automática: hello", "Estoy fuera de la oficina.", ""),
    "it": ("Risposta automatica: hello", "Sono in ferie fino a lunedì.", ""),
    "pt": ("Resposta automática: hello", "Estou de férias.", ""),
    "nl": ("Automatisch antwoord: hello", "Ik ben afwezig.", ""),
    "pl": ("Re: hello", "Dziękuję za wiadomość.", "Auto-Submitted: auto-replied\n"),
}


def _headers(sender: str, subject: str, extra: str = "") -> str:
    return f"From: {sender}\nSubject: {subject}\nMessage-ID: <{subject!r}@x>\n{extra}"


def _enrolled(client, to="editor@blog.example.org", source="https://blog.example.org/p") -> dict:
    """A card enrolled in a two-step sequence (72 h apart); step 1 sent."""
    templates = [
        create_template(client, f"T{i}", f"Step {i}", "Body {{url}}")["id"] for i in (1, 2)
    ]
    seq = make_sequence(client, templates)
    r = enroll(client, create_opp(client, source_url=source)["id"], seq["id"], to=to)
    assert r.status_code == 201, r.json
    return r.json


def _step_email(app, enrollment: dict) -> dict:
    email = next(e for e in rows(app, Email) if e.enrollment_id == enrollment["id"])
    return {"id": email.id, "opportunity_id": email.opportunity_id}


@pytest.fixture
def steps(app):
    return Scheduler(app, owner="test-steps", kind="sequence-steps")


@pytest.mark.parametrize("lang", sorted(AUTO_REPLIES))
def test_auto_replies_do_not_stop_a_sequence(client, app, fake_sg, live, session, lang):
    subject, text, extra = AUTO_REPLIES[lang]
    enrollment = _enrolled(client)
    email = _step_email(app, enrollment)
    headers = _headers("prospect@example.org", subject, extra)
    assert _post(app, fake_sg, live, email, subject=subject, text=text, headers=headers)["matched"]
    got = email_json(client, email)
    assert got["status"] != "replied" and got["replied_at"] is None
    [reply] = got["replies"]
    assert reply["kind"] == "auto_reply" and reply["label"] is None
    [event] = [e for e in got["events"] if e["type"] == "auto_reply"]
    assert event["detail"]["note"].startswith("Auto-reply: back on ")
    assert fetch(session, Enrollment, enrollment["id"]).status == "active"
    assert client.get(f"{API}/metrics").json["reply_rate"] == 0


def test_auto_reply_pauses_until_the_return_date_then_goes_on(
    client, app, fake_sg, live, session, clock, steps
):
    enrollment = _enrolled(client)
    email = _step_email(app, enrollment)
    back = (clock.now() + timedelta(days=10)).date()
    text = f"I am out of the office until {back:%d %B %Y}. I will reply when I am back."
    _post(app, fake_sg, live, email, subject="Automatic reply: hello", text=text)
    [event] = [e for e in email_json(client, email)["events"] if e["type"] == "auto_reply"]
    assert event["detail"]["note"] == f"Auto-reply: back on {back.isoformat()}"
    resume = datetime.combine(back, datetime.min.time(), UTC)
    assert fetch(session, Enrollment, enrollment["id"]).next_step_at == resume
    clock.advance(hours=72)  # step 2 was due now: it waits
    assert steps.run_pass().get("sent", 0) == 0
    clock.advance(seconds=(resume - clock.now()).total_seconds() + 60)
    assert steps.run_pass()["sent"] == 1
    after = fetch(session, Enrollment, enrollment["id"])
    assert after.status != "stopped" and after.current_step == 2


def test_a_pause_that_lands_while_the_next_step_is_sent_still_holds(
    client, app, fake_sg, live, session, clock, steps
):
    """Step 1's auto-reply arrives while step 2 is on its way: step 3 waits for the pause
    (the advance after step 2 used to overwrite it with step 2's time + 72 h)."""
    templates = [create_template(client, f"T{i}", f"Step {i}", "Body {{url}}") for i in (1, 2, 3)]
    seq = make_sequence(client, [t["id"] for t in templates])
    enrollment = enroll(client, create_opp(client)["id"], seq["id"]).json
    email = _step_email(app, enrollment)
    clock.advance(hours=72)  # step 2 is due
    back = (clock.now() + timedelta(days=10)).date()
    text = f"I am out of the office until {back:%d %B %Y}."
    posted = []

    def reply_while_sending(message):
        if not posted:  # the first message the fake takes is step 2
            posted.append(_post(app, fake_sg, live, email, subject="Automatic reply", text=text))

    fake_sg.on_accept = reply_while_sending
    assert steps.run_pass()["sent"] == 1 and posted and posted[0]["matched"]
    after = fetch(session, Enrollment, enrollment["id"])
    assert after.current_step == 2 and after.status == "active"
    assert after.next_step_at == datetime.combine(back, datetime.min.time(), UTC)


def test_auto_reply_without_a_date_pauses_the_site_setting(client, app, fake_sg, live, session):
    settings(client, auto_reply_pause_days=5)
    enrollment = _enrolled(client)
    before = fetch(session, Enrollment, enrollment["id"]).next_step_at
    email = _step_email(app, enrollment)
    _post(app, fake_sg, live, email, subject="Out of office", text="Out of office.")
    paused = fetch(session, Enrollment, enrollment["id"]).next_step_at
    assert paused - before == timedelta(days=2)  # 72 h became 5 days


def test_human_reply_stops_colleagues_at_the_same_domain(client, app, fake_sg, live, session):
    first = _enrolled(client, "anna@acme.example", "https://acme.example/a")
    colleague = _enrolled(client, "bob@acme.example", "https://acme.example/b")
    stranger = _enrolled(client, "carl@other.example", "https://other.example/c")
    email = _step_email(app, first)
    text = "Not me, please write to dana@acme.example, she handles our blog.\n- a list line"
    _post(app, fake_sg, live, email, text=text)
    [reply] = email_json(client, email)["replies"]
    assert reply["kind"] == "human" and reply["suggested_contacts"] == ["dana@acme.example"]
    assert "- a list line" in reply["text"]
    assert fetch(session, Enrollment, first["id"]).stop_reason == "reply"
    stopped = fetch(session, Enrollment, colleague["id"])
    assert (stopped.status, stopped.stop_reason) == ("stopped", "colleague_replied")
    assert fetch(session, Enrollment, stranger["id"]).status == "active"
    assert client.get(f"{API}/metrics").json["reply_rate"] > 0


def test_marking_replied_by_hand_stops_colleagues_too(client, app, session):
    first = _enrolled(client, "anna@acme.example", "https://acme.example/a")
    colleague = _enrolled(client, "bob@acme.example", "https://acme.example/b")
    email = _step_email(app, first)
    assert client.post(f"{API}/emails/{email['id']}/replied").status_code == 200
    assert fetch(session, Enrollment, colleague["id"]).stop_reason == "colleague_replied"


@pytest.mark.parametrize("case", ["setting off", "mailbox provider"])
def test_colleagues_go_on_when_off_or_at_a_mailbox_provider(
    client, app, fake_sg, live, session, case
):
    domain = "acme.example" if case == "setting off" else "gmail.com"
    if case == "setting off":
        settings(client, stop_domain_on_reply=False)
    first = _enrolled(client, f"anna@{domain}", "https://one.example/a")
    other = _enrolled(client, f"bob@{domain}", "https://two.example/b")
    _post(app, fake_sg, live, _step_email(app, first), text="Thanks, sounds good!")
    assert fetch(session, Enrollment, other["id"]).status == "active"


def test_unsubscribe_request_lists_the_address_and_counts(client, app, fake_sg, live):
    email = sent_email(client)
    _post(app, fake_sg, live, email, text="Please remove me from your list.")
    got = email_json(client, email)
    assert got["replies"][0]["kind"] == "unsubscribe_request" and got["status"] == "replied"
    [entry] = client.get(f"{API}/suppressions").json["items"]
    assert (entry["value"], entry["reason"]) == ("editor@blog.example.org", "unsubscribe")
    assert client.get(f"{API}/metrics").json["reply_rate"] == 1


def test_unsubscribe_request_is_only_a_reply_when_not_honoured(client, app, fake_sg, live):
    settings(client, honour_unsubscribe_replies=False)
    email = sent_email(client)
    _post(app, fake_sg, live, email, text="Unsubscribe")
    assert client.get(f"{API}/suppressions").json["items"] == []


BOUNCE_TEXT = (
    "Address not found\n\n"
    "Your message wasn't delivered to editor@blog.example.org because the address couldn't "
    "be found, or is unable to receive mail.\n\n"
    "The response from the remote server was:\n"
    "550 5.1.1 The email account that you tried to reach does not exist.\n"
)


def test_bounce_message_applies_the_bounce_rules(client, app, fake_sg, live, session):
    enrollment = _enrolled(client)
    email = _step_email(app, enrollment)
    sender = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"
    subject = "Delivery Status Notification (Failure)"
    headers = _headers(sender, subject)
    _post(
        app,
        fake_sg,
        live,
        email,
        subject=subject,
        text=BOUNCE_TEXT,
        headers=headers,
        **{"from": sender},
    )
    got = email_json(client, email)
    assert got["replies"][0]["kind"] == "bounce" and got["status"] == "bounced"
    [event] = [e for e in got["events"] if e["type"] == "bounce"]
    assert event["detail"]["status"] == "5.1.1"
    assert fetch(session, Enrollment, enrollment["id"]).stop_reason == "bounce"
    [entry] = client.get(f"{API}/suppressions").json["items"]
    assert entry["value"] == "editor@blog.example.org"
    assert client.get(f"{API}/metrics").json["reply_rate"] == 0


def test_a_bounce_message_announces_the_listing(client, app, fake_sg, live):
    """The address a bounce lists reaches webhooks and the sequences' stops like any other
    do-not-contact entry (SuppressionAdded)."""
    email = _step_email(app, _enrolled(client))
    seen = []

    def announced(session, added):
        seen.append((added.value, added.reason))

    events.subscribe(events.SuppressionAdded, announced)
    sender = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"
    subject = "Delivery Status Notification (Failure)"
    try:
        _post(app, fake_sg, live, email, subject=subject, text=BOUNCE_TEXT,
              headers=_headers(sender, subject), **{"from": sender})  # fmt: skip
    finally:
        events.unsubscribe(events.SuppressionAdded, announced)
    assert seen == [("editor@blog.example.org", "bounced")]


def test_a_person_labels_a_reply(client, app, fake_sg, live, other_site_key):
    email = sent_email(client)
    _post(app, fake_sg, live, email, text="Interesting, tell me more.")
    [reply] = email_json(client, email)["replies"]
    url = f"{API}/replies/{reply['id']}"
    r = client.patch(url, json={"label": "interested"}, caps="outreach.edit")
    assert r.status_code == 200 and r.json["label"] == "interested"
    assert client.patch(url, json={"label": "later"}, caps="outreach.view").status_code == 403
    for bad in ({"label": "maybe"}, {}, {"label": "later", "kind": "human"}):
        assert client.patch(url, json=bad).status_code == 422
    assert client.get(url).json["label"] == "interested"
    assert client.patch(url, json={"label": None}).json["label"] is None


def test_reply_settings_default_and_change(client):
    names = ("auto_reply_pause_days", "honour_unsubscribe_replies", "stop_domain_on_reply")
    assert site_values(client, *names) == (7, True, True)
    r = client.patch(f"{API}/site", json={"auto_reply_pause_days": 91})
    assert r.status_code == 422
    r = client.patch(
        f"{API}/site", json={"auto_reply_pause_days": 0, "stop_domain_on_reply": False}
    )
    assert r.status_code == 200 and r.json["auto_reply_pause_days"] == 0
