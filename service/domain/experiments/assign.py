"""Giving an enrollment its variant of an A/B-tested step (docs/api.md §18).

The split is a turn counter per (sequence, position), `step_experiments`, taken under a
row lock: two enrolments racing in two processes wait for each other's turn instead of
taking the same one, so 1:1 over 20 enrolments is exactly 10/10. A chunk locks its
counters in id order before it takes any (lock_counters), so two chunks never wait on
each other in a circle; the counters come after the enrollment rows and before the site
lock (docs/architecture.md, lock order). An enrollment keeps the variant it was given
(`Enrollment.variants`), so a retried step takes no second turn.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.experiments import results, split, stats
from service.models import Enrollment, Sequence, SequenceStep, Site, StepExperiment


def sync(session: Session, sequence: Sequence) -> None:
    """After the steps were saved: a counter for each step with variants (a changed list
    of variants restarts its split and forgets its winner), none for the others."""
    tested = {s.position: split.signature(s.variants) for s in sequence.steps if s.variants}
    rows = {
        row.position: row
        for row in session.scalars(
            select(StepExperiment)
            .where(StepExperiment.sequence_id == sequence.id)
            .with_for_update()
        )
    }
    gone = [p for p in rows if p not in tested]
    if gone:
        session.execute(
            delete(StepExperiment).where(
                StepExperiment.sequence_id == sequence.id, StepExperiment.position.in_(gone)
            )
        )
    for position, signature in tested.items():
        row = rows.get(position)
        if row is None:
            session.add(
                StepExperiment(
                    sequence_id=sequence.id, position=position, signature=signature, assigned=0
                )
            )
        elif row.signature != signature:
            row.signature, row.assigned, row.winner, row.winner_at = signature, 0, None, None
    session.flush()


def lock_counters(session: Session, keys) -> None:
    """Row-lock the counters of these (sequence id, position) pairs, in id order."""
    keys = set(keys)
    if not keys:
        return
    ids = [
        row_id
        for row_id, sequence_id, position in session.execute(
            select(StepExperiment.id, StepExperiment.sequence_id, StepExperiment.position).where(
                StepExperiment.sequence_id.in_({k[0] for k in keys})
            )
        )
        if (sequence_id, position) in keys
    ]
    if ids:
        session.scalars(
            select(StepExperiment.id)
            .where(StepExperiment.id.in_(ids))
            .order_by(StepExperiment.id)
            .with_for_update()
        ).all()


def pending_key(enrollment: Enrollment, step: SequenceStep) -> tuple[int, int] | None:
    """The counter this enrollment's step would take a turn of (None: no turn to take)."""
    if not step.variants or str(step.position) in (enrollment.variants or {}):
        return None
    return (enrollment.sequence_id, step.position)


def variant_for(
    session: Session, enrollment: Enrollment, step: SequenceStep, now: datetime
) -> tuple[int | None, int]:
    """(variant index, template id) this enrollment sends at this step (None: no test)."""
    variants = step.variants
    if not variants:
        return None, step.template_id
    kept = (enrollment.variants or {}).get(str(step.position))
    if kept is not None and kept < len(variants):
        return kept, variants[kept]["template_id"]
    counter = session.scalar(
        select(StepExperiment)
        .where(
            StepExperiment.sequence_id == enrollment.sequence_id,
            StepExperiment.position == step.position,
        )
        .with_for_update()
    )
    index = _take_turn(session, enrollment, step, counter, now)
    enrollment.variants = {**(enrollment.variants or {}), str(step.position): index}
    return index, variants[index]["template_id"]


def _take_turn(session, enrollment, step, counter: StepExperiment | None, now) -> int:
    weights = [v["weight"] for v in step.variants]
    if counter is None:  # saved before its counter existed: the split starts now
        counter = StepExperiment(
            sequence_id=enrollment.sequence_id,
            position=step.position,
            signature=split.signature(step.variants),
            assigned=0,
        )
        session.add(counter)
    if step.auto_winner and counter.winner is None:
        _judge(session, enrollment, step, counter, now)
    if step.auto_winner and counter.winner is not None and counter.winner < len(weights):
        return counter.winner
    index = split.variant_for_turn(weights, counter.assigned)
    counter.assigned += 1
    session.flush()
    return index


def _judge(session, enrollment, step, counter: StepExperiment, now) -> None:
    """Record the leader as the winner once the step is decided (audited)."""
    found = results.counts(session, enrollment.sequence_id, step)
    if min(c["sent"] for c in found) < step.min_sends:
        return  # not decided, whatever the rates: no need for the maths
    verdict = stats.verdict([(c["replied"], c["sent"]) for c in found], step.min_sends)
    if not verdict.decided:
        return
    counter.winner, counter.winner_at = verdict.leader, now
    audit.log(
        session,
        session.get(Site, enrollment.site_id),
        0,
        "experiment.winner",
        "sequence",
        enrollment.sequence_id,
        {
            "position": step.position,
            "variant": verdict.leader,
            "template_id": step.variants[verdict.leader]["template_id"],
            "confidence": round(verdict.confidence, 4),
        },
        now,
    )
