"""POST /opportunities/bulk: move and delete many cards at once, each id on its own."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.support.api import API, assert_error, column_ids, create_opp

BULK = f"{API}/opportunities/bulk"


def _cards(client, n, prefix="c", status="new"):
    return [
        create_opp(client, f"https://{prefix}{i}.example.org/", status=status)["id"]
        for i in range(n)
    ]


def _bulk(client, **body):
    r = client.post(BULK, json=body)
    assert r.status_code == 200, r.get_json()
    return r.json


def test_bulk_move_appends_in_board_order_and_renumbers_the_columns_left(client):
    new = _cards(client, 6)
    queued = _cards(client, 2, "q", "queued")
    won = _cards(client, 1, "w", "won")
    picked = [new[4], queued[1], new[1], won[0]]  # won[0] is there already: it stays
    assert _bulk(client, ids=picked, action="move", status="won") == {"done": picked, "failed": []}
    assert column_ids(client, "won") == [won[0], new[1], new[4], queued[1]]
    board = client.get(f"{API}/board").json
    for status in ("new", "queued", "won"):
        assert [c["position"] for c in board["columns"][status]] == list(
            range(len(board["columns"][status]))
        )
    assert column_ids(client, "new") == [new[0], new[2], new[3], new[5]]


def test_bulk_move_to_won_stops_active_sequences(client, session):
    from service.models import Enrollment, Sequence

    (card,) = _cards(client, 1)
    clock_now = client.clock.now()
    seq = Sequence(site_id=client.key.site_id, name="S", created_at=clock_now, updated_at=clock_now)
    session.add(seq)
    session.flush()
    session.add(
        Enrollment(
            site_id=client.key.site_id,
            sequence_id=seq.id,
            opportunity_id=card,
            to_email="ed@x.example",
            status="active",
            current_step=1,
            attempts=0,
            created_by=1,
            created_at=clock_now,
            updated_at=clock_now,
        )
    )
    session.commit()
    _bulk(client, ids=[card], action="move", status="won")
    shown = client.get(f"{API}/opportunities/{card}").json["sequence"]
    assert (shown["status"], shown["stop_reason"]) == ("stopped", "won")


def test_a_bulk_move_is_set_based(app, client):
    ids = _cards(client, 60)
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    engine = app.extensions["outreach"].engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        _bulk(client, ids=ids[::2], action="move", status="reached")
        few = len(statements)
        statements.clear()
        _bulk(client, ids=ids[1::2][:3], action="move", status="queued")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert few <= len(statements) + 4, (few, len(statements))  # 30 cards cost as 3 do


def test_bulk_delete_and_unknown_or_foreign_ids_fail_as_404(client, other_client):
    mine = _cards(client, 4)
    (theirs,) = _cards(other_client, 1, "b")
    body = _bulk(client, ids=[mine[1], theirs, 999999, mine[2], mine[1]], action="delete")
    assert body["done"] == [mine[1], mine[2]]
    assert body["failed"] == [
        {"id": theirs, "code": 404, "message": "Opportunity not found."},
        {"id": 999999, "code": 404, "message": "Opportunity not found."},
    ]
    assert column_ids(client, "new") == [mine[0], mine[3]]
    assert [c["position"] for c in client.get(f"{API}/board").json["columns"]["new"]] == [0, 1]
    assert other_client.get(f"{API}/opportunities/{theirs}").status_code == 200
    again = _bulk(client, ids=[mine[1]], action="delete")
    assert again["failed"][0]["code"] == 404


def test_bulk_stop_fails_cards_without_an_active_sequence(client):
    (card,) = _cards(client, 1)
    body = _bulk(client, ids=[card], action="stop_sequence")
    assert body == {
        "done": [],
        "failed": [
            {"id": card, "code": 404, "message": "This opportunity has no active sequence."}
        ],
    }


@pytest.mark.parametrize(
    ("action", "extra", "cap"),
    [
        ("move", {"status": "won"}, "outreach.edit"),
        ("delete", {}, "outreach.delete"),
        ("stop_sequence", {}, "outreach.send"),
        ("assign_sequence", {"sequence_id": 1}, "outreach.send"),
    ],
)
def test_each_action_needs_its_own_capability(client, action, extra, cap):
    (card,) = _cards(client, 1)
    others = ",".join(
        c
        for c in ("outreach.view", "outreach.edit", "outreach.delete", "outreach.send")
        if c != cap
    )
    body = {"ids": [card], "action": action, **extra}
    assert_error(client.post(BULK, json=body, caps=others), 403, cap)
    assert column_ids(client, "new") == [card]  # the 403 changed nothing
    r = client.post(BULK, json=body, caps=cap)
    assert r.status_code != 403, r.get_json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "delete"}, "ids"),
        ({"ids": [], "action": "delete"}, "ids"),
        ({"ids": list(range(1, 502)), "action": "delete"}, "ids"),
        ({"ids": [1], "action": "explode"}, "action"),
        ({"ids": [1], "action": "move"}, "status"),
        ({"ids": [1], "action": "move", "status": "lost"}, "status"),
        ({"ids": [1], "action": "assign_sequence"}, "sequence_id"),
        ({"ids": ["1"], "action": "delete"}, "ids"),
    ],
)
def test_bad_bulk_requests_are_422_and_change_nothing(client, body, field):
    (card,) = _cards(client, 1)
    err = assert_error(client.post(BULK, json=body), 422)
    assert field in err["errors"], err
    assert column_ids(client, "new") == [card]
