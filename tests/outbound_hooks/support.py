"""What the delivery tests share: running passes, reading the outbox."""

from __future__ import annotations

from sqlalchemy import select

from service.db import make_session_factory
from service.models import WebhookDelivery, WebhookEndpoint
from service.worker.scheduler import Scheduler

KIND = "webhook-deliveries"


def run_pass(app, owner: str = "test") -> dict:
    """One pass of the job kind in this process; its outcome counts."""
    return dict(Scheduler(app, owner=owner, kind=KIND).run_pass())


def deliveries(engine) -> list[WebhookDelivery]:
    with make_session_factory(engine)() as s:
        return list(s.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def endpoint(engine, endpoint_id: int) -> WebhookEndpoint:
    with make_session_factory(engine)() as s:
        return s.get(WebhookEndpoint, endpoint_id)
