"""Replies a prospect sent to one of our emails, kept readable (docs/api.md, conversations)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime

# forward_state: none (no reply_forward_to set), pending (due at forward_due_at), sent,
# failed (gave up after the last attempt; the reply itself is kept either way).
FORWARD_STATES = ("none", "pending", "sent", "failed")
# What a reply is (reply_reading.KINDS, docs/api.md §16) and the label a person gives it.
REPLY_KINDS = ("human", "auto_reply", "bounce", "unsubscribe_request")
REPLY_LABELS = ("interested", "not_interested", "later", "referral")


class Reply(Base):
    """One inbound reply; stored once however often Inbound Parse delivers it."""

    __tablename__ = "replies"
    __table_args__ = (
        sa.UniqueConstraint("email_id", "reply_key"),
        sa.Index("ix_replies_opportunity", "opportunity_id", "read_at"),
        sa.Index("ix_replies_forward_due", "forward_state", "forward_due_at"),
        sa.Index("ix_replies_site_forwarded", "site_id", "forwarded_at"),
        sa.Index("ix_replies_site_received", "site_id", "received_at"),  # the Inbox
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    email_id: Mapped[int] = mapped_column(
        sa.ForeignKey("emails.id", ondelete="CASCADE"), index=True
    )
    opportunity_id: Mapped[int] = mapped_column(sa.ForeignKey("opportunities.id"))
    # The Message-ID (or subject + sender) hashed: Inbound Parse may post one mail twice.
    reply_key: Mapped[str] = mapped_column(sa.String(64))
    from_address: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(998))
    text: Mapped[str] = mapped_column(sa.Text)
    full_text: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forward_state: Mapped[str] = mapped_column(sa.String(16), default="none")
    forward_attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    forward_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forward_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forward_error: Mapped[str | None] = mapped_column(sa.Text)
    # docs/api.md §16: what kind of message it is, a person's label, the addresses the
    # prospect named as the right person (a JSON list, at most three).
    kind: Mapped[str] = mapped_column(sa.String(24), default="human", server_default="human")
    label: Mapped[str | None] = mapped_column(sa.String(16))
    suggested_contacts: Mapped[list | None] = mapped_column(sa.JSON)
    # When the forward was handed to the mail port (set at prepare, cleared on failure):
    # the site's hourly cap counts these (replies/forward_rules.py).
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
