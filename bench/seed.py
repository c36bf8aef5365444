"""Bulk seeding for benchmarks: emails, events, sequences and enrollments (core inserts)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import insert

from service.models import Email, EmailEvent, Enrollment, Sequence, SequenceStep

EVENT_TYPES = ("delivered", "open", "click", "open", "open")


def seed_emails(
    session,
    site_id: int,
    opportunity_ids: list[int],
    per_opportunity: int,
    now: datetime,
    template_id: int | None = None,
) -> list[int]:
    """`per_opportunity` sent emails for each card; returns their ids."""
    rows = []
    for n, oid in enumerate(opportunity_ids):
        for k in range(per_opportunity):
            to = f"editor{oid}-{k}@blog{oid}.example.org"
            sent = now - timedelta(hours=(n * per_opportunity + k) % 2000 + 30)
            rows.append(
                {
                    "site_id": site_id,
                    "opportunity_id": oid,
                    "to_email": to,
                    "to_normalized": to,
                    "subject": f"About blog{oid}",
                    "text_body": "Hello " * 40,
                    "html_body": "<p>" + "Hello " * 40 + "</p>",
                    "template_id": template_id,
                    "message_id": f"msg-{oid}-{k}",
                    "send_state": "sent",
                    "status": "delivered",
                    "created_by": 1,
                    "created_at": sent,
                    "sent_at": sent,
                    "delivered_at": sent + timedelta(minutes=1),
                }
            )
    ids: list[int] = []
    for start in range(0, len(rows), 5000):
        ids += session.scalars(insert(Email).returning(Email.id), rows[start : start + 5000]).all()
    return ids


def event_rows(
    site_id: int, email_ids: list[int], per_email: int, now: datetime, tag: str = "seed"
) -> list[dict]:
    """EmailEvent rows (as stored), `per_email` for each email."""
    rows = []
    for eid in email_ids:
        for k in range(per_email):
            kind = EVENT_TYPES[k % len(EVENT_TYPES)]
            at = now - timedelta(hours=20, minutes=k)
            sg = f"{tag}-{eid}-{k}"
            rows.append(
                {
                    "site_id": site_id,
                    "email_id": eid,
                    "type": kind,
                    "occurred_at": at,
                    "received_at": now,
                    "machine_open": False,
                    "sg_event_id": sg,
                    "event_key": hashlib.sha256(sg.encode()).hexdigest(),
                    "detail": {"ip": "203.0.113.9", "useragent": "Mozilla/5.0"},
                }
            )
    return rows


def seed_events(session, site_id: int, email_ids: list[int], per_email: int, now: datetime) -> int:
    rows = event_rows(site_id, email_ids, per_email, now)
    for start in range(0, len(rows), 10000):
        session.execute(insert(EmailEvent), rows[start : start + 10000])
    return len(rows)


def seed_enrollments(
    session,
    site_id: int,
    template_id: int,
    opportunity_ids: list[int],
    now: datetime,
    due_at: datetime | None = None,
    steps: int = 2,
) -> int:
    """One sequence with `steps` steps, and an active enrollment for every given card."""
    sequence_id = session.scalar(
        insert(Sequence).returning(Sequence.id),
        [{"site_id": site_id, "name": "Bench sequence", "created_at": now, "updated_at": now}],
    )
    session.execute(
        insert(SequenceStep),
        [
            {
                "sequence_id": sequence_id,
                "position": p,
                "template_id": template_id,
                "delay_hours": 0.0 if p == 0 else 72.0,
                "stop_on_reply": True,
                "stop_on_click": True,
                "stop_on_open": True,
            }
            for p in range(steps)
        ],
    )
    session.execute(
        insert(Enrollment),
        [
            {
                "site_id": site_id,
                "sequence_id": sequence_id,
                "opportunity_id": oid,
                "to_email": f"editor{oid}@blog{oid}.example.org",
                "status": "active",
                "current_step": 0,
                "next_step_at": due_at or now + timedelta(hours=72),
                "attempts": 0,
                "created_by": 1,
                "created_at": now,
                "updated_at": now,
            }
            for oid in opportunity_ids
        ],
    )
    return sequence_id
