"""What recording a chunk of steps costs the database: a few statements per chunk, not a
few per step (record.record_chunk, send_path.record_sends)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select, update

from service.domain.sequences import record
from service.models import AuditEntry, EmailEvent, Enrollment
from tests.support.api import create_opp, make_sequence
from tests.support.state import select_rows
from tests.support.statements import record_chunks

CHUNK = 20


def test_a_chunk_of_twenty_step_ones_is_recorded_in_few_statements_a_step(
    app, client, templates3, sendgrid, session, monkeypatch
):
    seq = make_sequence(client, templates3)
    ids = [
        create_opp(client, f"https://c{i}.example.org/", contact_email=f"ed@c{i}.example.org")["id"]
        for i in range(CHUNK)
    ]
    engine = app.extensions["outreach"].engine
    seen, chunks = record_chunks(monkeypatch, record, "record_chunk", engine)
    r = client.post(
        "/api/v1/opportunities/bulk", json={"ids": ids, "action": "assign_sequence",
                                            "sequence_id": seq["id"]}
    )  # fmt: skip
    assert r.status_code == 200 and r.json["done"] == ids, r.json
    assert chunks == [CHUNK] and len(sendgrid.messages) == CHUNK
    # Per step: its guarded enrollment UPDATE and its card's counter UPDATE; the emails'
    # UPDATEs and the "sent" events go in one statement each for the chunk, the audit rows
    # too on PostgreSQL (SQLite inserts ORM rows one by one). Recorded step by step it was
    # over 5 statements a step: events, emails and audit rows one by one.
    assert sum(s.startswith("UPDATE emails") for s in seen) == 1, seen
    assert sum(s.startswith("INSERT INTO email_events") for s in seen) == 1, seen
    postgres = engine.dialect.name == "postgresql"
    # The enrollments' guarded UPDATEs: one statement for the chunk on PostgreSQL
    # (record.finish_all), one a step on SQLite.
    guarded = sum(s.startswith("UPDATE enrollments") for s in seen)
    assert guarded == (1 if postgres else CHUNK), seen
    assert len(seen) / CHUNK < (2 if postgres else 4), seen
    sent = select(func.count()).where(EmailEvent.type == "sent")
    assert select_rows(session, sent.select_from(EmailEvent))[0] == CHUNK
    moves = select(func.count()).where(AuditEntry.action == "opportunity.move")
    assert select_rows(session, moves.select_from(AuditEntry))[0] == CHUNK
    for card_id in ids:
        card = client.get(f"/api/v1/opportunities/{card_id}").json
        assert (card["status"], card["emails_sent"], card["sequence"]["current_step"]) == (
            "reached",
            1,
            1,
        ), card


def test_a_chunk_keeps_each_steps_guard(app, client, templates3, sendgrid, session, monkeypatch):
    """One enrollment of the chunk recovered by another scheduler meanwhile: its step is
    lost (not advanced), the others advance (the set-based UPDATE guards row by row)."""
    seq = make_sequence(client, templates3)
    ids = [
        create_opp(client, f"https://g{i}.example.org/", contact_email=f"ed@g{i}.example.org")["id"]
        for i in range(4)
    ]
    record_chunk, outcomes, taken = record.record_chunk, [], []

    def recovered_meanwhile(session_, steps, owner, now):
        taken.append(steps[1].enrollment.id)
        session_.execute(
            update(Enrollment).where(Enrollment.id == taken[0]).values(lease_owner="other")
        )
        outcomes.append(record_chunk(session_, steps, owner, now))
        return outcomes[-1]

    monkeypatch.setattr(record, "record_chunk", recovered_meanwhile)
    r = client.post(
        "/api/v1/opportunities/bulk", json={"ids": ids, "action": "assign_sequence",
                                            "sequence_id": seq["id"]}
    )  # fmt: skip
    assert r.status_code == 200, r.json
    assert outcomes == [Counter(sent=3, lost=1)], outcomes
    steps = select(Enrollment.id, Enrollment.current_step, Enrollment.lease_owner)
    by_id = {row[0]: tuple(row[1:]) for row in session.execute(steps)}
    session.rollback()
    assert by_id.pop(taken[0]) == (0, "other")
    assert sorted(by_id.values()) == [(1, None)] * 3
