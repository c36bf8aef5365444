"""Sent emails, their engagement events and the per-site suppression list."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import ROOM_FOR_UPDATES, Base, UTCDateTime

# Lifecycle rank: status only ever moves up this ladder; a bounce overrides it.
STATUS_RANK = {"sent": 1, "delivered": 2, "opened": 3, "clicked": 4, "replied": 5}
# send_state: pending (slot reserved, SendGrid not yet answered), sent (accepted),
# failed (definite refusal, slot released), unknown (timeout/5xx: never resent blindly),
# scheduled (waits for scheduled_for; holds no slot), cancelled (a scheduled one, deleted).
SEND_STATES = ("pending", "sent", "failed", "unknown", "scheduled", "cancelled")


class Email(Base):
    """One outreach email to one recipient; the row exists before SendGrid is called."""

    __tablename__ = "emails"
    __table_args__ = (
        # One email per sequence step: the database itself forbids a second send.
        sa.UniqueConstraint("enrollment_id", "step"),
        sa.Index("ix_emails_site_created", "site_id", "created_at"),
        sa.Index("ix_emails_site_sent", "site_id", "sent_at"),  # metrics and insights by period
        sa.Index("ix_emails_site_recipient", "site_id", "to_normalized", "created_at"),
        sa.Index("ix_emails_site_domain", "site_id", "to_domain", "created_at"),
        sa.Index("ix_emails_opportunity", "opportunity_id"),
        sa.Index("ix_emails_message_id", "message_id"),
        sa.Index("ix_emails_scheduled", "send_state", "scheduled_for"),
        ROOM_FOR_UPDATES,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    opportunity_id: Mapped[int] = mapped_column(sa.ForeignKey("opportunities.id"))
    to_email: Mapped[str] = mapped_column(sa.String(320))
    to_normalized: Mapped[str] = mapped_column(sa.String(320))
    # The recipient's domain (after the @): the per-domain daily cap counts by it.
    to_domain: Mapped[str | None] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(998))
    text_body: Mapped[str] = mapped_column(sa.Text, default="")
    html_body: Mapped[str] = mapped_column(sa.Text, default="")
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("templates.id", ondelete="SET NULL")
    )
    sequence_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sequences.id", ondelete="SET NULL")
    )
    enrollment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrollments.id"))
    step: Mapped[int | None] = mapped_column(sa.Integer)
    reply_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(sa.String(100))
    smtp_id: Mapped[str | None] = mapped_column(sa.String(300))
    send_state: Mapped[str] = mapped_column(sa.String(16), default="pending")
    status: Mapped[str | None] = mapped_column(sa.String(16))
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A scheduled send (send_state "scheduled"): due at scheduled_for, leased while sent.
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Threading: the Message-ID this email answers (a follow-up step), or None.
    in_reply_to: Mapped[str | None] = mapped_column(sa.String(300))
    # The mailbox that sends it (docs/api.md §15); None: SendGrid or the outbox. No
    # foreign key (SQLite cannot add one to a table): deleting a mailbox clears it.
    mailbox_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    # Which variant of an A/B-tested step this is (index into the step's variants).
    variant: Mapped[int | None] = mapped_column(sa.Integer)


class EmailEvent(Base):
    """One engagement event as received; stored once however often it is delivered."""

    __tablename__ = "email_events"
    __table_args__ = (
        sa.UniqueConstraint("sg_event_id"),
        sa.UniqueConstraint("email_id", "event_key"),
        sa.Index("ix_email_events_email", "email_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    email_id: Mapped[int] = mapped_column(sa.ForeignKey("emails.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(sa.String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    machine_open: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    sg_event_id: Mapped[str | None] = mapped_column(sa.String(128))
    # Fallback identity (type, timestamp, url) for duplicates that carry a fresh sg_event_id.
    event_key: Mapped[str] = mapped_column(sa.String(64))
    detail: Mapped[dict | None] = mapped_column(sa.JSON)


class Suppression(Base):
    """An address or domain a site must never email (bounce, spam report, unsubscribe, manual).

    `email` holds the value: an address (kind "email") or a domain (kind "domain").
    """

    __tablename__ = "suppressions"
    __table_args__ = (sa.UniqueConstraint("site_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(sa.String(320))
    reason: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(8), default="email", server_default="email")
    note: Mapped[str | None] = mapped_column(sa.Text)
    email_id: Mapped[int | None] = mapped_column(sa.ForeignKey("emails.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
