"""The board's fast path (plain dicts + orjson) answers exactly what BoardSchema would dump."""

from __future__ import annotations

from datetime import timedelta

from service.api.card_schemas import BoardSchema
from service.domain.cards import delta as board_delta
from service.domain.cards.board_filters import BoardQuery
from service.domain.cards.queries import live, summaries
from service.models import Enrollment, Opportunity, Sequence, Site
from service.models.opportunity import STATUSES


def _orm_board(session, site, q):
    """The kanban as ORM cards (the service's implementation before the fast path)."""
    cards = session.scalars(
        live(site, None, q).order_by(Opportunity.status, Opportunity.position, Opportunity.id)
    ).all()
    columns = {s: [] for s in STATUSES}
    for card in cards:
        columns[card.status].append(card)
    return {"columns": columns, "counts": {s: len(c) for s, c in columns.items()}}


def _reference(session, site_id, q=None):
    """The previous implementation: ORM cards through marshmallow."""
    site = session.get(Site, site_id)
    board = _orm_board(session, site, q)
    found = summaries(session, site)
    for column in board["columns"].values():
        for card in column:
            card.sequence = found.get(card.id)
    board["cursor"] = str(board_delta.clock(session, site)[0])
    return BoardSchema().dump(board)


def _reference_delta(session, site_id, since, q=None):
    """A delta as BoardSchema dumps it from ORM cards (every card since `since`)."""
    site = session.get(Site, site_id)
    body = board_delta.delta(session, site, since, BoardQuery(q=q))[1]
    cards = [session.get(Opportunity, card["id"]) for card in body["cards"]]
    found = summaries(session, site)
    for card in cards:
        card.sequence = found.get(card.id)
    return BoardSchema().dump({**body, "cards": cards})


def _arrange(client, session, site_key, clock):
    ids = []
    for i, extra in enumerate(
        [
            {},
            {
                "target_url": "https://a.example/t",
                "anchor_text": "Ünïcode ✓",
                "contact_email": "ed@x.example",
                "notes": 'note "q" \n',
            },
            {"lost_link": True},
            {"anchor_text": ""},
            {},
        ]
    ):
        r = client.post(
            "/api/v1/opportunities",
            json={"source_url": f"https://www.site{i}.example/p?x={i}", **extra},
        )
        assert r.status_code == 201, r.json
        ids.append(r.json["id"])
    client.post(f"/api/v1/opportunities/{ids[1]}/move", json={"status": "reached"})
    client.post(f"/api/v1/opportunities/{ids[2]}/move", json={"status": "won"})
    client.post(f"/api/v1/opportunities/{ids[3]}/move", json={"status": "queued"})
    client.delete(f"/api/v1/opportunities/{ids[4]}")
    now = clock.now()
    card = session.get(Opportunity, ids[1])
    card.email_status, card.emails_sent = "opened", 2
    card.last_emailed_at = now.replace(microsecond=123456) - timedelta(hours=3)
    seq = Sequence(site_id=site_key.site_id, name="Follow-up", created_at=now, updated_at=now)
    session.add(seq)
    session.flush()
    for oid, status in ((ids[0], "stopped"), (ids[0], "active"), (ids[1], "completed")):
        session.add(
            Enrollment(
                site_id=site_key.site_id,
                sequence_id=seq.id,
                opportunity_id=oid,
                to_email="ed@x.example",
                status=status,
                current_step=1,
                next_step_at=now + timedelta(hours=72) if status == "active" else None,
                stop_reason="manual" if status == "stopped" else None,
                attempts=0,
                created_by=1,
                created_at=now,
                updated_at=now,
            )
        )
    session.commit()


def test_board_equals_schema_dump(client, session, site_key, clock):
    _arrange(client, session, site_key, clock)
    for q in (None, "site1", "ünï", "nothing-matches"):
        r = client.get("/api/v1/board", query={"q": q} if q else None)
        assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
        session.expire_all()
        expected = _reference(session, site_key.site_id, q)
        session.rollback()  # SQLite: every transaction holds the write lock (BEGIN IMMEDIATE)
        assert r.json == expected
    board = client.get("/api/v1/board").json
    assert board["counts"] == {"new": 1, "queued": 1, "reached": 1, "won": 1}
    assert board["columns"]["new"][0]["sequence"]["status"] == "active"


def test_delta_equals_schema_dump(client, session, site_key, clock):
    _arrange(client, session, site_key, clock)
    for q in (None, "site1", "nothing-matches"):
        r = client.get("/api/v1/board", query={"since": 0, **({"q": q} if q else {})})
        assert r.status_code == 200 and r.json["full"] is False
        session.expire_all()
        expected = _reference_delta(session, site_key.site_id, 0, q)
        session.rollback()
        assert r.json == expected
        assert len(r.json["cards"]) + len(r.json["removed"]) == 5
