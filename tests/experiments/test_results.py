"""docs/api.md §18: GET /api/v1/sequences/{id}/experiments — counts, rates and the verdict
on human replies (opens never decide)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.models import Email
from tests.experiments.conftest import ab_sequence, enrol_cards
from tests.support.api import API, create_template, make_sequence
from tests.support.apps import INBOUND_DOMAIN, INBOUND_TOKEN
from tests.support.fake_sendgrid import message_for


def by_variant(session, variant: int) -> list:
    """(id, reply_token) of the variant's emails; the session lets go of SQLite's lock."""
    found = session.execute(
        select(Email.id, Email.reply_token).where(Email.variant == variant).order_by(Email.id)
    ).all()
    session.rollback()
    return found


def reply(fake_sg, live, email, **fields) -> None:
    form = fake_sg.inbound_form(f"reply+{email.reply_token}@{INBOUND_DOMAIN}")
    form.update(fields)
    r = fake_sg.post_inbound(f"{live.url}/sendgrid/inbound/{INBOUND_TOKEN}", form, None)
    assert r.status_code == 200, r.text


def opened(fake_sg, live, emails: list) -> None:
    events = [fake_sg.event(message_for(fake_sg, e.id), "open") for e in emails]
    assert fake_sg.post_events(f"{live.url}/sendgrid/webhook", events).status_code == 200


def experiments(client, sequence_id: int) -> dict:
    r = client.get(f"{API}/sequences/{sequence_id}/experiments")
    assert r.status_code == 200, r.json
    return r.json


def test_human_replies_decide_and_opens_do_not(client, roomy, sendgrid, live, session):
    seq = ab_sequence(client, (1, 1), min_sends=10)
    enrol_cards(client, seq["id"], 20)
    emails = {v: by_variant(session, v) for v in (0, 1)}
    opened(sendgrid, live, emails[0])  # A is opened by everyone...
    for email in emails[1][:8]:  # ...but only B is answered
        reply(sendgrid, live, email, text="Sure, send it over.")
    reply(sendgrid, live, emails[0][0], subject="Out of Office: hi", text="I am out of the office.")
    replies = client.get(f"{API}/replies").json["items"]
    human = [r for r in replies if r["kind"] == "human"]
    assert (
        client.patch(f"{API}/replies/{human[0]['id']}", json={"label": "interested"}).status_code
        == 200
    )
    [step] = experiments(client, seq["id"])["steps"]
    a, b = step["variants"]
    assert (a["sent"], a["opened"], a["replied"], a["positive"]) == (10, 10, 0, 0)
    assert (b["sent"], b["opened"], b["replied"], b["positive"]) == (10, 0, 8, 1)
    assert (a["open_rate"], b["reply_rate"], b["positive_rate"]) == (1.0, 0.8, 0.1)
    assert [a["template_id"], b["template_id"]] == [
        v["template_id"] for v in seq["steps"][0]["variants"]
    ]
    assert 0 < a["reply_interval"][0] < a["reply_interval"][1] < b["reply_interval"][0]
    verdict = step["verdict"]
    assert verdict["leader"] == 1 and verdict["decided"] is True
    assert verdict["confidence"] > 0.99 and verdict["sends_to_decide"] == 0
    assert step["position"] == 1 and step["min_sends"] == 10 and step["winner"] is None


def test_a_step_short_of_min_sends_is_not_decided(client, roomy, sendgrid, live, session):
    seq = ab_sequence(client, (1, 1))  # min_sends 100
    enrol_cards(client, seq["id"], 4)
    [step] = experiments(client, seq["id"])["steps"]
    assert [v["sent"] for v in step["variants"]] == [2, 2]
    # No replies on either side: equal rates, which more sends alone would never split.
    assert step["verdict"]["decided"] is False and step["verdict"]["sends_to_decide"] is None


def test_only_steps_with_variants_are_listed_and_others_sites_are_404(client, other_client):
    plain = make_sequence(client, [create_template(client)["id"]])
    assert experiments(client, plain["id"]) == {"steps": []}
    seq = ab_sequence(client, (1, 1))
    assert experiments(client, seq["id"])["steps"][0]["verdict"]["leader"] is None
    r = other_client.get(f"{API}/sequences/{seq['id']}/experiments")
    assert r.status_code == 404


@pytest.mark.parametrize("bad", ["abc", "0x1"])
def test_a_bad_id_is_a_404(client, bad):
    assert client.get(f"{API}/sequences/{bad}/experiments").status_code == 404
