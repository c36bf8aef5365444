"""Outbound webhooks (docs/api.md §17): the endpoints a site posts its events to, the
outbox of events still to deliver, and the log of delivery attempts.

Not to be confused with the inbound SendGrid Event Webhook (models/email.py EmailEvent).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime

HOOK_EVENTS = (
    "opportunity.created",
    "opportunity.moved",
    "email.sent",
    "email.bounced",
    "reply.received",
    "link.won",
    "link.lost",
    "suppression.added",
    "site.paused",
)
HOOK_FORMATS = ("standard", "slack")
# pending: to send, in id order, once the endpoint's blocked_until has passed; delivered:
# a 2xx answered; failed: the retry schedule ran out for it.
DELIVERY_STATES = ("pending", "delivered", "failed")


class WebhookEndpoint(Base):
    """A URL of the site's other tools that receives the events it asked for."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    events: Mapped[list] = mapped_column(sa.JSON)
    format: Mapped[str] = mapped_column(sa.String(16), default="standard")
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    disabled_reason: Mapped[str | None] = mapped_column(sa.String(500))
    secret_stored: Mapped[str] = mapped_column(sa.String(500))  # secret_box.seal("whsec_…")
    # The first failure of the current run of failures (None: the last attempt worked).
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Deliveries wait behind a failed one until its retry (order per endpoint).
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(sa.String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookDelivery(Base):
    """The outbox: one event for one endpoint, written in the transaction that made it."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (sa.Index("ix_webhook_deliveries_due", "endpoint_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    endpoint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    webhook_id: Mapped[str] = mapped_column(sa.String(40), unique=True)  # msg_…, every attempt
    event_type: Mapped[str] = mapped_column(sa.String(32))
    body: Mapped[str] = mapped_column(sa.Text)  # {"type", "timestamp", "data"}, as sent
    state: Mapped[str] = mapped_column(sa.String(16), default="pending")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookAttempt(Base):
    """One POST to an endpoint and how it ended (the deliveries log)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (sa.Index("ix_webhook_attempts_endpoint", "endpoint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    event_type: Mapped[str] = mapped_column(sa.String(32))
    webhook_id: Mapped[str] = mapped_column(sa.String(40))
    attempt: Mapped[int] = mapped_column(sa.Integer)
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    error: Mapped[str | None] = mapped_column(sa.String(500))
    response: Mapped[str | None] = mapped_column(sa.String(1024))  # the body's first 1 KiB
    duration_ms: Mapped[int] = mapped_column(sa.Integer, default=0)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
