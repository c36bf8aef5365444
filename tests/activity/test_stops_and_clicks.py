"""The activity feed's other sources (docs/api.md §21): an unsubscribe click and the
sequence it stops; a stop a person made shows once, as theirs."""

from __future__ import annotations

import pytest

from tests.deliverability.test_unsubscribe import page, token_of
from tests.support import api
from tests.support.api import API
from tests.support.apps import sending_settings

PUBLIC_URL = "https://outreach.example.net"


@pytest.fixture
def app_settings(sendgrid):
    return sending_settings(sendgrid, PUBLIC_URL=PUBLIC_URL)


def feed(client, **query):
    r = client.get(f"{API}/activity", query=query or None)
    assert r.status_code == 200, r.json
    return r.json["items"]


def enrolled(client, source):
    templates = [api.create_template(client, f"T{i}")["id"] for i in (1, 2)]
    opp = api.create_opp(client, source_url=source)
    sequence = api.make_sequence(client, templates)["id"]
    assert api.enroll(client, opp["id"], sequence).status_code == 201
    return opp


def test_an_unsubscribe_click_and_the_stop_it_causes(client, clock, live, fake_sg):
    opp = enrolled(client, "https://blog.example.org/p")
    clock.advance(seconds=1)
    r = page(live, token_of(fake_sg.messages[-1]), "post", data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200
    [click] = feed(client, kind="unsubscribe")
    assert (click["action"], click["user"], click["card"]["domain"]) == (
        "email.unsubscribed", None, "blog.example.org",
    )  # fmt: skip
    assert click["detail"] == {"address": "editor@blog.example.org"}
    stops = [e for e in feed(client, kind="sequence") if e["action"] == "enrollment.stopped"]
    assert [(s["detail"]["reason"], s["card"]["id"], s["user"]) for s in stops] == [
        ("suppressed", opp["id"], 0)  # the address went on the do-not-contact list
    ]
    assert feed(client, user=1, kind="unsubscribe") == []  # nobody's: the prospect clicked


def test_a_stop_by_hand_is_the_persons_and_shows_once(client, clock):
    opp = enrolled(client, "https://blog.example.org/p")
    clock.advance(seconds=1)
    r = client.delete(f"{API}/opportunities/{opp['id']}/sequence")
    assert r.status_code in (200, 204), r.json
    stops = [e for e in feed(client, kind="sequence") if e["action"].startswith("enrollment.stop")]
    assert [(s["action"], s["user"], s["detail"]) for s in stops] == [
        ("enrollment.stop", 1, {"reason": "manual"})
    ]


def test_a_bulk_sequence_start_is_one_entry_without_a_card(client, clock):
    templates = [api.create_template(client, f"T{i}")["id"] for i in (1, 2)]
    sequence = api.make_sequence(client, templates)["id"]
    ids = [
        api.create_opp(
            client, source_url=f"https://s{i}.example.org/", contact_email=f"e@s{i}.example.org"
        )["id"]
        for i in range(3)
    ]
    clock.advance(seconds=1)
    body = {"ids": ids, "action": "assign_sequence", "sequence_id": sequence}
    r = client.post(f"{API}/opportunities/bulk", json=body)
    assert r.status_code == 200, r.json
    [started] = [e for e in feed(client, kind="sequence") if e["action"] == "enrollment.create"]
    assert (started["count"], started["card"], started["user"]) == (3, None, 1)
