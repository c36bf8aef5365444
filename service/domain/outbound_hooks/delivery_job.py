"""The `webhook-deliveries` job kind: the outbox sent after commit (docs/api.md §17).

A claim leases ENDPOINTS, not single deliveries: one endpoint is one pool thread at a
time, so a slow or dead one holds one thread for one bounded attempt and never delays
another endpoint, and its events go out in the order they were written. A failed event
blocks the ones behind it until its retry (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h;
then it is given up and the next one goes); an endpoint failing for 3 days in a row is
disabled (audited). Delivery is at least once: a process killed between a POST and its
record sends it again, with the same webhook-id, once its lease has expired.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import orjson
from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from service import faults
from service.db.leases import lease_due
from service.domain import audit
from service.domain.jobs import LEASE, JobKind
from service.domain.outbound_hooks import payloads
from service.domain.outbound_hooks.signatures import headers
from service.models import Site, WebhookAttempt, WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:  # the sender (httpx) loads on first use: service/app.py
    from service.domain.outbound_hooks.sender import Answer, HookSender

log = logging.getLogger("outreach.webhooks")
RETRY_AFTER = tuple(
    timedelta(seconds=s) for s in (5, 300, 1800, 7200, 18000, 36000, 36000)
)  # after the 1st, 2nd, … failed attempt of one event
DISABLE_AFTER = timedelta(days=3)
KEY_SHARE = {"key_share": True}
PER_JOB = 20  # events one claim of an endpoint sends at most (in order)
BUDGET = LEASE.total_seconds() / 2  # a claim's sending stops then, well inside its lease


@dataclass
class Item:
    """One event for the endpoint, as this attempt sends it."""

    delivery_id: int
    webhook_id: str
    event_type: str
    body: str
    answer: Answer | None = None


@dataclass
class HookJob:
    """An endpoint's next events (plain data for the pool thread)."""

    endpoint_id: int
    url: str
    secret: str
    items: list[Item] = field(default_factory=list)
    result: object = None  # the worker reads `result.accepted` (its fault points); unused


def _pending(endpoint):
    return exists().where(
        WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.state == "pending"
    )


def claim(session: Session, owner: str, now: datetime, lease, batch: int) -> list:
    """Lease up to `batch` endpoints with events due: (id, oldest pending event's time)."""
    oldest = (
        select(func.min(WebhookDelivery.created_at))
        .where(
            WebhookDelivery.endpoint_id == WebhookEndpoint.id, WebhookDelivery.state == "pending"
        )
        .scalar_subquery()
    )
    claimable = (
        WebhookEndpoint.active.is_(True),
        or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < now),
        or_(WebhookEndpoint.blocked_until.is_(None), WebhookEndpoint.blocked_until <= now),
        _pending(WebhookEndpoint),
    )
    stamp = {"lease_owner": owner, "lease_until": now + lease}
    order = (WebhookEndpoint.blocked_until, WebhookEndpoint.id)  # a retry due first
    return lease_due(session, WebhookEndpoint, oldest, claimable, stamp, batch, order)


def release(session: Session, ids: list[int], owner: str) -> None:
    """Give back leases never worked on."""
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id.in_(ids), WebhookEndpoint.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


def prepare(session: Session, ids: list[int], owner: str, now: datetime, lease, box) -> tuple:
    """Each leased endpoint's next pending events, in order, as its format sends them."""
    jobs, counts = [], Counter()
    for endpoint in session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.id.in_(ids))):
        if not endpoint.active or endpoint.lease_owner != owner:
            counts["skipped"] += 1
            continue
        rows = session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.state == "pending")
            .order_by(WebhookDelivery.id)
            .limit(PER_JOB)
        ).all()
        site = session.get(Site, endpoint.site_id)
        items = [
            Item(d.id, d.webhook_id, d.event_type, as_sent(endpoint.format, site, d.body))
            for d in rows
        ]
        jobs.append(HookJob(endpoint.id, endpoint.url, box.open(endpoint.secret_stored), items))
    return jobs, counts


def as_sent(format_: str, site: Site, body: str) -> str:
    """The body in the endpoint's format: the event itself, or Slack's one line."""
    if format_ != "slack":
        return body
    return orjson.dumps({"text": payloads.slack_text(site, orjson.loads(body))}).decode()


def call(job: HookJob, sender: HookSender, budget: float) -> HookJob:
    """POST the events in order; stop at the first failure (the rest wait behind it) or
    when the lease's time is half gone."""
    deadline = time.monotonic() + budget
    for item in job.items:
        item.answer = attempt(sender, job, item.webhook_id, item.body)
        faults.reach("webhook_delivery.sent")  # crash tests: posted, not yet recorded
        if not item.answer.ok or time.monotonic() > deadline:
            break
    return job


def attempt(sender: HookSender, job: HookJob, webhook_id: str, body: str) -> Answer:
    """One signed POST (the timestamp is this attempt's: receivers check it is recent)."""
    signed = headers(job.secret, webhook_id, int(time.time()), body)
    return sender.post(job.url, signed, body)


def record(session: Session, jobs: list[HookJob], owner: str, now: datetime) -> Counter:
    """Log every attempt; delivered, or retried later (blocking the events behind it)."""
    counts = Counter()
    for job in jobs:
        # FOR NO KEY UPDATE: a change writing new events for it (FOR KEY SHARE) never waits.
        endpoint = session.get(WebhookEndpoint, job.endpoint_id, with_for_update=KEY_SHARE)
        if endpoint is None:
            counts["gone"] += 1
            continue
        for item in job.items:
            if item.answer is not None:
                counts[_record_one(session, endpoint, item, now)] += 1
        if endpoint.lease_owner == owner:
            endpoint.lease_owner = endpoint.lease_until = None
    session.flush()
    return counts


def _record_one(session: Session, endpoint: WebhookEndpoint, item: Item, now: datetime) -> str:
    delivery = session.get(WebhookDelivery, item.delivery_id)
    if delivery is None or delivery.state != "pending":
        return "stale"
    delivery.attempts += 1
    session.add(
        log_row(endpoint.id, item.event_type, item.webhook_id, delivery.attempts, item.answer, now)
    )
    if item.answer.ok:
        delivery.state = "delivered"
        endpoint.failing_since = endpoint.blocked_until = None
        return "delivered"
    endpoint.failing_since = endpoint.failing_since or now
    if now - endpoint.failing_since >= DISABLE_AFTER:
        disable(session, endpoint, item.answer, now)
        return "disabled"
    if delivery.attempts > len(RETRY_AFTER):
        delivery.state = "failed"
        endpoint.blocked_until = None
        return "failed"
    endpoint.blocked_until = now + RETRY_AFTER[delivery.attempts - 1]
    return "retry"


def log_row(endpoint_id, event_type, webhook_id, number, answer: Answer, now) -> WebhookAttempt:
    """The deliveries log's row of one attempt."""
    return WebhookAttempt(
        endpoint_id=endpoint_id,
        event_type=event_type,
        webhook_id=webhook_id,
        attempt=number,
        status_code=answer.status_code,
        error=answer.error,
        response=answer.response,
        duration_ms=answer.duration_ms,
        at=now,
    )


def disable(session: Session, endpoint: WebhookEndpoint, answer: Answer, now: datetime) -> None:
    """3 days of failures in a row: off (audited); its pending events wait for it to be
    switched on again."""
    since = endpoint.failing_since.isoformat()
    reason = f"Failed for 3 days in a row (since {since}); last: {answer.error}"[:500]
    endpoint.active, endpoint.disabled_reason, endpoint.updated_at = False, reason, now
    endpoint.blocked_until = None
    site = session.get(Site, endpoint.site_id)
    changes = {"active": False, "disabled_reason": reason}
    audit.log(session, site, 0, "webhook.disable", "webhook", endpoint.id, changes, now)
    log.warning("webhook %s disabled: %s", endpoint.id, reason)


def kind(runtime) -> JobKind:
    """Outbound webhooks: one endpoint per pool thread, its events in order."""
    return JobKind(
        name="webhook-deliveries",
        claim=claim,
        prepare=lambda *args: prepare(*args, box=runtime.secret_box),
        call=lambda job: call(job, runtime.hooks, BUDGET),
        record=record,
        release=release,
        describe=lambda job: f"webhook {job.endpoint_id}",
    )
