"""Drip sequences, their steps and enrollments of opportunities."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime

ENROLLMENT_STATUSES = ("active", "completed", "stopped")
STOP_REASONS = (
    "reply",
    "click",
    "open",
    "bounce",
    "manual",
    "won",
    "deleted",
    "suppressed",
    "colleague_replied",
)


class Sequence(Base):
    """A named campaign of ordered steps."""

    __tablename__ = "sequences"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Soft delete: finished enrollments and sent emails keep pointing at the sequence.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    steps: Mapped[list[SequenceStep]] = relationship(
        order_by="SequenceStep.position", cascade="all, delete-orphan", lazy="selectin"
    )


class SequenceStep(Base):
    """One step: which template, how long after the previous send, when to stop."""

    __tablename__ = "sequence_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sequences.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(sa.Integer)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("templates.id"), index=True)
    delay_hours: Mapped[float] = mapped_column(sa.Float, default=72.0)
    stop_on_reply: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    stop_on_click: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    stop_on_open: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # "reply": a step after the first answers the first email's thread; "new": its own.
    thread: Mapped[str] = mapped_column(sa.String(8), default="reply", server_default="reply")
    # docs/api.md §18: an A/B test of this step, [{"template_id", "weight"}] (2-5; the
    # first is `template_id`), or None; auto_winner sends the leader once it is decided.
    variants: Mapped[list | None] = mapped_column(sa.JSON)
    auto_winner: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    min_sends: Mapped[int] = mapped_column(sa.Integer, default=100, server_default="100")


class Enrollment(Base):
    """An opportunity running through a sequence towards one recipient."""

    __tablename__ = "enrollments"
    __table_args__ = (
        # At most one active enrollment per opportunity, enforced by the database.
        sa.Index(
            "uq_enrollments_active_opportunity",
            "opportunity_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
        sa.Index("ix_enrollments_due", "status", "next_step_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    sequence_id: Mapped[int] = mapped_column(sa.ForeignKey("sequences.id"), index=True)
    opportunity_id: Mapped[int] = mapped_column(sa.ForeignKey("opportunities.id"), index=True)
    to_email: Mapped[str] = mapped_column(sa.String(320))
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    # 32 on PostgreSQL for "colleague_replied" (docs/api.md §16). SQLite never enforces a
    # VARCHAR length, and widening it there would mean a batch copy of `enrollments`,
    # which emails reference: so its declared 16 stays (0011_replies).
    stop_reason: Mapped[str | None] = mapped_column(
        sa.String(16).with_variant(sa.String(32), "postgresql")
    )
    current_step: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(sa.String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # {"<step position>": variant index}: kept once taken, so a retried step keeps its
    # variant and takes no second turn of the experiment's counter.
    variants: Mapped[dict | None] = mapped_column(sa.JSON)


class StepExperiment(Base):
    """The turn counter of an A/B-tested step (by sequence and position, which survive an
    edit of the steps) and its auto-winner once decided. Assignments take it under a row
    lock, so racing enrolments never take the same turn (docs/api.md §18)."""

    __tablename__ = "step_experiments"
    __table_args__ = (sa.UniqueConstraint("sequence_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence_id: Mapped[int] = mapped_column(sa.ForeignKey("sequences.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.Integer)
    # The variants the turns count for ("template:weight,..."): an edit restarts the split.
    signature: Mapped[str] = mapped_column(sa.String(200))
    assigned: Mapped[int] = mapped_column(sa.Integer, default=0)
    winner: Mapped[int | None] = mapped_column(sa.Integer)
    winner_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
