"""What reserving a chunk of due steps costs the database (prepare.prepare_chunk): each
step's email row and one read of both cooldowns; its audit entries and timeline notes
go in one INSERT for the chunk."""

from __future__ import annotations

from sqlalchemy import func, select

from service.domain.sequences import prepare
from service.models import AuditEntry, EmailEvent
from tests.support.api import create_opp, make_sequence
from tests.support.state import select_rows
from tests.support.statements import record_chunks

CHUNK = 20


def test_a_chunk_of_follow_ups_is_reserved_in_few_statements_a_step(
    app, client, templates3, sendgrid, session, clock, scheduler, monkeypatch
):
    seq = make_sequence(client, templates3)
    ids = [
        create_opp(client, f"https://p{i}.example.org/", contact_email=f"ed@p{i}.example.org")["id"]
        for i in range(CHUNK)
    ]
    r = client.post(
        "/api/v1/opportunities/bulk", json={"ids": ids, "action": "assign_sequence",
                                            "sequence_id": seq["id"]}
    )  # fmt: skip
    assert r.status_code == 200 and len(sendgrid.messages) == CHUNK
    engine = app.extensions["outreach"].engine
    seen, chunks = record_chunks(monkeypatch, prepare, "prepare_chunk", engine)
    clock.advance(hours=73)
    assert scheduler.run_pass()["sent"] == CHUNK and sum(chunks) == CHUNK
    postgres = engine.dialect.name == "postgresql"
    assert chunks == [CHUNK] or not postgres, chunks  # SQLite's pass takes smaller ones
    # Step 2 answers step 1 by subject only (the fake SendGrid's ids are not Message-IDs):
    # each step notes it on its timeline, in the chunk's one INSERT.
    assert sum(s.startswith("INSERT INTO audit_entries") for s in seen) == len(chunks), seen
    assert sum(s.startswith("INSERT INTO email_events") for s in seen) == len(chunks), seen
    assert sum(s.startswith("INSERT INTO emails") for s in seen) == CHUNK, seen
    # Both cooldowns (the address's, the card's) in one statement a step.
    assert sum("max(emails.created_at)" in s for s in seen) == CHUNK, seen
    if postgres:
        assert len(seen) / CHUNK < 3, seen  # was 5.5 a step: entries and notes one by one
    reserved = select(func.count()).where(AuditEntry.action == "email.reserve")
    assert select_rows(session, reserved.select_from(AuditEntry))[0] == 2 * CHUNK
    notes = select(func.count()).where(EmailEvent.type == "threaded")
    assert select_rows(session, notes.select_from(EmailEvent))[0] == CHUNK
