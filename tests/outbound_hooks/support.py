"""What the delivery tests share: running passes, reading the outbox."""

from __future__ import annotations

import os
from pathlib import Path

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


def scheduler_env(database_url: str, folder: Path, **extra) -> dict:
    """The environment of a scheduler process on the test database (no mail key: it
    would need OUTREACH_PUBLIC_URL), allowed to post to loopback."""
    env = dict(os.environ)
    env.pop("OUTREACH_SCHEDULER_FAULT", None)
    env.update(
        {
            "OUTREACH_DATABASE_URL": database_url,
            "OUTREACH_INSTANCE_PATH": str(folder),
            "OUTREACH_LINKCHECK_ALLOW_PRIVATE": "1",
            "OUTREACH_WEBHOOK_TIMEOUT": "2",
            "OUTREACH_SCHEDULER_INTERVAL": "0.2",
            "OUTREACH_LOG_LEVEL": "WARNING",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            **extra,
        }
    )
    return env
