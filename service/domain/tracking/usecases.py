"""One Event Webhook batch, applied in one transaction (re-run when concurrent batches
collide), its counts kept for the operator's metrics."""

from __future__ import annotations

from collections import Counter

from service import faults, observability
from service.db.unit_of_work import UnitOfWork, is_transient
from service.domain.ports import Clock
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
