"""The `webhook-log-prune` job kind: the deliveries log and the finished outbox rows are
kept KEEP (docs/api.md §17), then deleted in chunks, at most once an hour. A pending event
is never deleted here."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.domain.jobs import JobKind, sweep
from service.models import WebhookAttempt, WebhookDelivery

KEEP = timedelta(days=30)


def claim(session: Session, _owner: str, now: datetime, _lease, batch: int) -> list[tuple]:
    """Up to `batch` attempts older than KEEP: (id, when they aged out), oldest first."""
    rows = session.execute(
        select(WebhookAttempt.id, WebhookAttempt.at)
        .where(WebhookAttempt.at < now - KEEP)
        .order_by(WebhookAttempt.id)
        .limit(batch)
    )
    return [(attempt_id, at + KEEP) for attempt_id, at in rows]


def prepare(session: Session, ids: list[int], _owner: str, now: datetime, _lease):
    """Delete those attempts, and as many finished events older than KEEP."""
    gone = session.execute(delete(WebhookAttempt).where(WebhookAttempt.id.in_(ids))).rowcount
    finished = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.state != "pending", WebhookDelivery.created_at < now - KEEP)
        .limit(len(ids))
    )
    events = session.execute(
        delete(WebhookDelivery).where(WebhookDelivery.id.in_(list(session.scalars(finished))))
    ).rowcount
    return [], Counter(attempts=gone, events=events)


def kind(_runtime) -> JobKind:
    """Old webhook attempts and finished events deleted, at most once an hour."""
    return sweep(
        name="webhook-log-prune",
        claim=claim,
        prepare=prepare,
        describe=lambda attempt_id: f"webhook attempt {attempt_id}",
        every=timedelta(hours=1),
    )
