"""Board ETag / 304 and `?since=` deltas: every card change shows in the next delta."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from service.domain.cards import changes as board_changes
from service.models import BoardChange, BoardClock
from tests.support.api import API, assert_error, create_opp, create_template

BOARD = f"{API}/board"
OPPS = f"{API}/opportunities"


def board(client, **query):
    r = client.get(BOARD, query=query or None)
    assert r.status_code == 200, r.json
    return r


def delta(client, cursor, q=None):
    query = {"since": cursor, **({"q": q} if q else {})}
    body = board(client, **query).json
    assert body["full"] is False, body
    return body


def changed_ids(body):
    return [c["id"] for c in body["cards"]]


def test_board_has_a_cursor_and_an_etag_and_answers_304_until_a_change(client):
    first = board(client)
    assert first.json["cursor"] == "0" and first.headers["ETag"]
    again = client.get(BOARD, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    create_opp(client, "https://a.example.org/1")
    changed = client.get(BOARD, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.json["counts"]["new"] == 1
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert int(changed.json["cursor"]) > 0


def test_etag_depends_on_the_query(client):
    create_opp(client, "https://a.example.org/1")
    plain, searched = board(client), board(client, q="a.example")
    assert plain.headers["ETag"] != searched.headers["ETag"]
    r = client.get(
        BOARD, query={"q": "a.example"}, headers={"If-None-Match": plain.headers["ETag"]}
    )
    assert r.status_code == 200


def test_delta_is_empty_when_nothing_changed(client):
    create_opp(client, "https://a.example.org/1")
    cursor = board(client).json["cursor"]
    body = delta(client, cursor)
    assert body["cards"] == [] and body["removed"] == [] and body["order"] == {}
    assert body["counts"] == {"new": 1, "queued": 0, "reached": 0, "won": 0}
    assert body["cursor"] == cursor


def test_create_patch_notes_move_and_delete_each_show_in_the_next_delta(client):
    keep = create_opp(client, "https://keep.example.org/")
    card = create_opp(client, "https://a.example.org/1")
    cursor = board(client).json["cursor"]
    steps = [
        lambda: create_opp(client, "https://b.example.org/2")["id"],
        lambda: client.patch(f"{OPPS}/{card['id']}", json={"anchor_text": "best tools"}).json["id"],
        lambda: client.put(f"{OPPS}/{card['id']}/notes", json={"notes": "called"}).json["id"],
        lambda: client.post(f"{OPPS}/{card['id']}/move", json={"status": "won"}).json["id"],
    ]
    for step in steps:
        changed = step()
        body = delta(client, cursor)
        assert changed in changed_ids(body) and keep["id"] not in changed_ids(body)
        now = next(c for c in body["cards"] if c["id"] == changed)
        assert now == client.get(f"{OPPS}/{changed}").json  # the card as it is now
        cursor = body["cursor"]
    assert client.delete(f"{OPPS}/{card['id']}").status_code == 204
    body = delta(client, cursor)
    assert body["removed"] == [card["id"]] and body["cards"] == []
    assert body["counts"]["won"] == 0


def test_a_move_that_shifts_other_cards_sends_the_column_order(client):
    ids = [create_opp(client, f"https://c{i}.example.org/")["id"] for i in range(4)]
    cursor = board(client).json["cursor"]
    client.post(f"{OPPS}/{ids[3]}/move", json={"status": "new", "position": 0})
    body = delta(client, cursor)
    assert changed_ids(body) == [ids[3]]
    assert body["order"] == {"new": [[ids[3], 0], [ids[0], 1], [ids[1], 2], [ids[2], 3]]}
    cursor = body["cursor"]
    client.post(f"{OPPS}/{ids[3]}/move", json={"status": "new"})  # to the end: shifts
    assert delta(client, cursor)["order"] == {"new": [[i, n] for n, i in enumerate(ids)]}


def test_a_move_to_the_end_of_another_column_sends_only_the_source_column(client):
    a, b = (create_opp(client, f"https://c{i}.example.org/")["id"] for i in range(2))
    cursor = board(client).json["cursor"]
    client.post(f"{OPPS}/{b}/move", json={"status": "won"})  # last of New: nothing shifts
    body = delta(client, cursor)
    assert changed_ids(body) == [b] and body["order"] == {}
    client.post(f"{OPPS}/{a}/move", json={"status": "won"})
    body = delta(client, body["cursor"])
    assert changed_ids(body) == [a] and body["order"] == {}


def test_with_q_a_card_that_stops_matching_goes_to_removed(client):
    card = create_opp(client, "https://a.example.org/1", anchor_text="garden tools")
    cursor = board(client, q="garden").json["cursor"]
    client.patch(f"{OPPS}/{card['id']}", json={"anchor_text": "kitchen"})
    body = delta(client, cursor, q="garden")
    assert body["removed"] == [card["id"]] and body["cards"] == []
    assert body["counts"]["new"] == 0
    client.patch(f"{OPPS}/{card['id']}", json={"anchor_text": "garden again"})
    assert changed_ids(delta(client, body["cursor"], q="garden")) == [card["id"]]


def test_sequences_show_in_deltas_start_and_stop_and_rename(client):
    template = create_template(client)
    seq = client.post(
        f"{API}/sequences",
        json={
            "name": "Two steps",
            "steps": [
                {"template_id": template["id"]},
                {"template_id": template["id"], "delay_hours": 48},
            ],
        },
    )
    assert seq.status_code == 201, seq.json
    card = create_opp(client, "https://a.example.org/1")
    other = create_opp(client, "https://b.example.org/1")
    cursor = board(client).json["cursor"]
    started = client.post(
        f"{OPPS}/{card['id']}/sequence",
        json={"sequence_id": seq.json["id"], "to": "ed@a.example.org"},
    )
    assert started.status_code == 201, started.json
    body = delta(client, cursor)
    (shown,) = body["cards"]
    assert shown["id"] == card["id"] and shown["sequence"]["status"] == "active"
    assert shown["emails_sent"] == 1 and shown["email_status"] == "sent"
    renamed = client.patch(f"{API}/sequences/{seq.json['id']}", json={"name": "Renamed"})
    assert renamed.status_code == 200, renamed.json
    body = delta(client, body["cursor"])
    assert changed_ids(body) == [card["id"]]
    assert body["cards"][0]["sequence"]["name"] == "Renamed"
    assert client.delete(f"{OPPS}/{card['id']}/sequence").status_code == 200
    body = delta(client, body["cursor"])
    assert changed_ids(body) == [card["id"]] and other["id"] not in changed_ids(body)
    assert body["cards"][0]["sequence"]["status"] == "stopped"


def test_a_manual_send_shows_in_the_next_delta(client):
    card = create_opp(client, "https://a.example.org/1")
    cursor = board(client).json["cursor"]
    r = client.post(
        f"{OPPS}/{card['id']}/emails",
        json={"to": "ed@a.example.org", "subject": "Hi", "body": "Hello"},
    )
    assert r.status_code == 201, r.json
    (shown,) = delta(client, cursor)["cards"]
    assert shown["status"] == "reached" and shown["email_status"] == "sent"
    assert shown["emails_sent"] == 1 and shown["last_emailed_at"]


def test_deltas_are_per_site(client, other_client):
    cursor = board(client).json["cursor"]
    create_opp(other_client, "https://b.example.org/1")
    body = delta(client, cursor)
    assert body["cards"] == [] and body["cursor"] == cursor
    assert sum(body["counts"].values()) == 0


def test_a_cursor_older_than_the_kept_log_gets_the_whole_board(app, client, session):
    card = create_opp(client, "https://a.example.org/1")
    cursor = board(client).json["cursor"]
    client.patch(f"{OPPS}/{card['id']}", json={"anchor_text": "x"})
    site_id = client.key.site_id
    pruned = board_changes.prune(
        session, site_id, app.extensions["outreach"].clock.now() + timedelta(days=2)
    )
    session.commit()
    assert pruned > int(cursor)
    assert session.scalar(select(func.count()).select_from(BoardChange)) == 0
    session.rollback()
    body = board(client, since=cursor).json
    assert body["full"] is True and [c["id"] for c in body["columns"]["new"]] == [card["id"]]
    assert body["cursor"] == str(session.get(BoardClock, site_id).seq)
    session.rollback()  # SQLite: a reading transaction holds the write lock (BEGIN IMMEDIATE)
    ahead = board(client, since=int(body["cursor"]) + 5).json  # unknown: from elsewhere
    assert ahead["full"] is True


def test_a_bad_cursor_is_a_422(client):
    assert_error(client.get(BOARD, query={"since": "abc"}), 422)
    assert_error(client.get(BOARD, query={"since": "-1"}), 422)


def test_a_rolled_back_change_logs_nothing(app, client, session):
    card = create_opp(client, "https://a.example.org/1")
    before = board(client).json["cursor"]
    r = client.patch(f"{OPPS}/{card['id']}", json={"source_url": "not a url"})
    assert r.status_code == 422
    assert board(client).json["cursor"] == before


def test_a_bulk_move_shows_every_moved_card_and_the_new_order(client):
    ids = [create_opp(client, f"https://c{i}.example.org/")["id"] for i in range(5)]
    cursor = board(client).json["cursor"]
    r = client.post(
        f"{OPPS}/bulk", json={"ids": [ids[3], ids[1]], "action": "move", "status": "won"}
    )
    assert r.status_code == 200, r.json
    body = delta(client, cursor)
    assert changed_ids(body) == [ids[1], ids[3]]
    assert body["order"] == {"new": [[ids[0], 0], [ids[2], 1], [ids[4], 2]]}
    assert body["counts"] == {"new": 3, "queued": 0, "reached": 0, "won": 2}
    r = client.post(f"{OPPS}/bulk", json={"ids": [ids[0], ids[3]], "action": "delete"})
    assert delta(client, body["cursor"])["removed"] == [ids[0], ids[3]]


def test_every_256th_commit_prunes_log_rows_older_than_a_day(app, client, session):
    card = create_opp(client, "https://a.example.org/1")
    site_id = client.key.site_id
    old = app.extensions["outreach"].clock.now() - timedelta(days=2)
    clock_row = session.get(BoardClock, site_id)
    session.add(
        BoardChange(site_id=site_id, seq=clock_row.seq, opportunity_id=card["id"], changed_at=old)
    )
    clock_row.seq = board_changes.PRUNE_EVERY - 1
    session.commit()
    cursor = board(client).json["cursor"]
    client.put(f"{OPPS}/{card['id']}/notes", json={"notes": "tick"})  # takes number 256
    session.expire_all()
    clock_row = session.get(BoardClock, site_id)
    assert clock_row.seq == board_changes.PRUNE_EVERY and clock_row.pruned_seq > 0
    left = session.scalars(
        select(BoardChange.changed_at).where(BoardChange.site_id == site_id)
    ).all()
    session.rollback()
    assert left and all(at > old for at in left)
    assert changed_ids(delta(client, cursor)) == [card["id"]]  # newer rows still answer
