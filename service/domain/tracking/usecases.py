"""One Event Webhook batch, applied in one transaction (re-run when concurrent batches
collide), its counts kept for the operator's metrics; and the opens and clicks of the
service's own tracking links (mailboxes), recorded as the same events."""

from __future__ import annotations

import hashlib
from collections import Counter

from service import faults, observability
from service.db.unit_of_work import UnitOfWork, is_transient
from service.domain.ports import Clock
from service.domain.sending.send_path import CUSTOM_ARG_EMAIL
from service.domain.tracking import webhook_batch

INGEST_ATTEMPTS = 3


def ingest(uow: UnitOfWork, payload: list, clock: Clock) -> dict:
    """Apply a batch (already validated: a list of objects); its counts by result."""
    tally = Counter()

    def attempt() -> dict:
        tally.clear()  # an attempt rolled back counts nothing
        counts = webhook_batch.ingest(uow.session, payload, clock.now(), tally)
        faults.reach("webhook_batch.before_commit")  # crash tests kill the process here
        return counts

    # SendGrid retries any non-2xx later: the last collision is raised.
    with uow:
        counts = uow.retry(attempt, INGEST_ATTEMPTS, retryable=is_transient)
    for (kind, result), n in tally.items():  # once per committed batch, never per retry
        observability.count("outreach_webhook_events_total", n, type=kind, result=result)
    return counts


def record_hit(uow: UnitOfWork, clock: Clock, email_id: int, kind: str, url: str | None) -> bool:
    """An open of the pixel or a click of a tracked link (tracked_links.py), recorded as
    the Event Webhook records SendGrid's: the same event, stamps, status, stop rules and
    insights. Its sg_event_id is fixed per email (and URL): each counts once. False: no
    such email (deleted since)."""
    now = clock.now()
    event = {
        "event": kind,
        "timestamp": int(now.timestamp()),
        CUSTOM_ARG_EMAIL: str(email_id),
        "sg_event_id": f"outreach-{kind}-{email_id}"
        + (f"-{hashlib.sha256(url.encode()).hexdigest()[:32]}" if url else ""),
        **({"url": url} if url else {}),
    }
    with uow:
        counts = uow.retry(
            lambda: webhook_batch.ingest(uow.session, [event], now),
            INGEST_ATTEMPTS,
            retryable=is_transient,
        )
    return counts["unmatched"] == 0
