"""What each variant of an A/B-tested step did: sends, engagement and human replies,
counted from the step's emails in one grouped query."""

from __future__ import annotations

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from service.models import Email, Reply, SequenceStep

# docs/api.md §16: what a person wrote counts; auto-replies and bounces do not.
HUMAN_KINDS = ("human", "unsubscribe_request")
COUNTED = ("sent", "delivered", "opened", "clicked", "replied", "positive")


def _reply_exists(*conditions):
    return exists().where(Reply.email_id == Email.id, *conditions)


def _flag(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def counts(session: Session, sequence_id: int, step: SequenceStep) -> list[dict]:
    """[{sent, delivered, opened, clicked, replied, positive}] per variant of the step.

    An email counts for the variant whose index and template it carries, so an edit that
    swaps a variant's template starts that variant's counts afresh."""
    variants = step.variants or []
    rows = session.execute(
        select(
            Email.variant,
            Email.template_id,
            func.count(Email.id),
            _flag(Email.delivered_at.is_not(None)),
            _flag(Email.opened_at.is_not(None)),
            _flag(Email.clicked_at.is_not(None)),
            _flag(_reply_exists(Reply.kind.in_(HUMAN_KINDS))),
            _flag(_reply_exists(Reply.kind.in_(HUMAN_KINDS), Reply.label == "interested")),
        )
        .where(
            and_(
                Email.sequence_id == sequence_id,
                Email.step == step.position,
                Email.variant.is_not(None),
                Email.send_state == "sent",
            )
        )
        .group_by(Email.variant, Email.template_id)
    ).all()
    out = [dict.fromkeys(COUNTED, 0) for _ in variants]
    for variant, template_id, *values in rows:
        if variant < len(variants) and variants[variant]["template_id"] == template_id:
            out[variant] = dict(zip(COUNTED, (int(v) for v in values), strict=True))
    return out
