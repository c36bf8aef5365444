"""Board sort and filters (docs/api.md §20): applied on the server to the whole board,
its counts and its `?since=` deltas, combined with `q`."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from service.models import Opportunity
from tests.support.api import (
    API,
    assert_error,
    create_opp,
    create_template,
    enroll,
    make_sequence,
    settings,
)

BOARD = f"{API}/board"
OPPS = f"{API}/opportunities"


def board(client, **query) -> dict:
    r = client.get(BOARD, query=query)
    assert r.status_code == 200, r.json
    return r.json


def ids(body, status="new") -> list[int]:
    return [c["id"] for c in body["columns"][status]]


def card(client, name, dr=None, **fields) -> int:
    metrics = {"dr": dr, "traffic": None if dr is None else dr * 10}
    return create_opp(client, f"https://{name}.example/", metrics=metrics, **fields)["id"]


def test_sort_by_dr_and_traffic_either_way_unknown_last(client):
    low, high, unknown, mid = (
        card(client, n, dr) for n, dr in (("a", 10), ("b", 90), ("c", None), ("d", 50))
    )
    assert ids(board(client)) == [low, high, unknown, mid]  # position order
    assert ids(board(client, sort="-dr")) == [high, mid, low, unknown]
    assert ids(board(client, sort="dr")) == [low, mid, high, unknown]
    assert ids(board(client, sort="-traffic")) == [high, mid, low, unknown]


def test_sort_by_created_and_last_contact(client, session, clock):
    made = []
    for name in "abc":
        made.append(card(client, name))
        clock.advance(seconds=5)
    a, b, c = made
    assert ids(board(client, sort="-created")) == [c, b, a]
    assert ids(board(client, sort="created")) == [a, b, c]
    session.execute(
        update(Opportunity).where(Opportunity.id == b).values(last_emailed_at=clock.now())
    )
    session.commit()
    assert ids(board(client, sort="-last_contact")) == [b, a, c]  # never emailed: last


def test_sort_by_next_step_takes_the_sequence_step(client):
    settings(client, min_spacing_seconds=0)
    first, second = create_template(client, "One")["id"], create_template(client, "Two")["id"]
    later = make_sequence(client, [first, second], "Later", delay_hours=48)["id"]
    sooner = make_sequence(client, [first, second], "Sooner", delay_hours=24)["id"]
    a, b, c = card(client, "a"), card(client, "b"), card(client, "c")
    assert enroll(client, a, later, "ed@a.example").status_code == 201
    assert enroll(client, b, sooner, "ed@b.example").status_code == 201
    client.post(f"{OPPS}/{c}/move", json={"status": "reached"})
    assert ids(board(client, sort="next_step"), "reached") == [b, a, c]
    assert ids(board(client, sort="-next_step"), "reached") == [a, b, c]


def test_filters_narrow_cards_and_counts(client, session):
    rich = card(client, "rich", 80, contact_email="ed@rich.example")
    poor = card(client, "poor", 20, contact_email="ed@poor.example")
    mute = card(client, "mute", 70)
    blank = card(client, "blank")
    assert ids(board(client, has_email="true")) == [rich, poor]
    assert ids(board(client, has_email="false")) == [mute, blank]
    both = board(client, has_email="true", dr_min=50)
    assert ids(both) == [rich] and both["counts"]["new"] == 1
    assert ids(board(client, dr_min=20, dr_max=70)) == [poor, mute]
    assert ids(board(client, dr_max=70, q="mute")) == [mute]
    session.execute(update(Opportunity).where(Opportunity.id == poor).values(unread_replies=2))
    session.execute(update(Opportunity).where(Opportunity.id == mute).values(link_status="missing"))
    session.commit()
    assert ids(board(client, unread="true")) == [poor]
    assert ids(board(client, link_status="missing")) == [mute]
    assert ids(board(client, email_status="none")) == [rich, poor, mute, blank]
    assert ids(board(client, project_id=7)) == []  # no such project: none (docs/api.md §19)


def test_sequence_filter_follows_the_enrollment_a_card_shows(client):
    settings(client, min_spacing_seconds=0)
    a, b = card(client, "a"), card(client, "b")
    template = create_template(client)["id"]
    one = make_sequence(client, [template], "One")["id"]
    two = make_sequence(client, [template], "Two")["id"]
    assert enroll(client, a, one, "ed@a.example").status_code == 201
    assert enroll(client, b, two, "ed@b.example").status_code == 201
    assert ids(board(client, sequence_id=one), "reached") == [a]
    assert ids(board(client, sequence_id=two), "reached") == [b]
    assert ids(board(client, email_status="none"), "reached") == []


def test_a_delta_applies_the_filters(client):
    high, low = card(client, "high", 80), card(client, "low", 10)
    cursor = board(client, dr_min=50)["cursor"]
    client.patch(f"{OPPS}/{high}", json={"metrics": {"dr": 30}})
    client.patch(f"{OPPS}/{low}", json={"metrics": {"dr": 60}})
    delta = board(client, dr_min=50, since=cursor)
    assert delta["full"] is False
    assert [c["id"] for c in delta["cards"]] == [low]
    assert delta["removed"] == [high]
    assert delta["counts"]["new"] == 1


def test_each_view_has_its_own_etag(client):
    card(client, "a", 60)
    plain = client.get(BOARD)
    filtered = client.get(BOARD, query={"dr_min": 50})
    sorted_ = client.get(BOARD, query={"sort": "-dr"})
    assert len({plain.headers["ETag"], filtered.headers["ETag"], sorted_.headers["ETag"]}) == 3
    again = client.get(
        BOARD, query={"dr_min": 50}, headers={"If-None-Match": filtered.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "query",
    [{"sort": "dr_desc"}, {"dr_min": 101}, {"dr_min": 60, "dr_max": 40}, {"link_status": "gone"}],
)
def test_bad_view_arguments_are_refused(client, query):
    assert_error(client.get(BOARD, query=query), 422)
