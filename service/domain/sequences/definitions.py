"""Sequence definitions: CRUD of a named list of ordered steps, and reading them back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.unit_of_work import TransactionState
from service.domain import audit
from service.domain.errors import Conflict, Invalid, require
from service.domain.experiments import assign
from service.models import Enrollment, Sequence, SequenceStep, Site, Template

STEP_FIELDS = (
    "template_id",
    "delay_hours",
    "stop_on_reply",
    "stop_on_click",
    "stop_on_open",
    "thread",
    "variants",
    "auto_winner",
    "min_sends",
)
# Each sequence's steps as this transaction read them (a chunk reads each sequence once).
STEPS_READ: TransactionState[dict[int, list]] = TransactionState(dict)
STEP_DEFAULTS = {
    "delay_hours": 72.0,
    "stop_on_reply": True,
    "stop_on_click": True,
    "stop_on_open": True,
    "thread": "reply",
    "variants": None,
    "auto_winner": False,
    "min_sends": 100,
}


def get(session: Session, site: Site, sequence_id: int, lock: bool = False) -> Sequence:
    """A live sequence of this site, or NotFound (`lock`: row lock against delete races)."""
    query = select(Sequence).where(
        Sequence.id == sequence_id, Sequence.site_id == site.id, Sequence.deleted_at.is_(None)
    )
    return require(session.scalar(query.with_for_update() if lock else query), "Sequence")


def list_all(session: Session, site: Site) -> list[Sequence]:
    """All live sequences of the site, by name."""
    return list(
        session.scalars(
            select(Sequence)
            .where(Sequence.site_id == site.id, Sequence.deleted_at.is_(None))
            .order_by(Sequence.name, Sequence.id)
        )
    )


def _check_templates(session: Session, site: Site, steps: list[dict]) -> None:
    """422 naming each step whose template (or a variant's) is not one of this site's."""
    wanted = {t for s in steps for t in _templates_of(s)}
    mine = (
        set(
            session.scalars(
                select(Template.id).where(Template.site_id == site.id, Template.id.in_(wanted))
            )
        )
        if wanted
        else set()
    )
    errors = {
        str(i): {"template_id": ["Unknown template."]}
        for i, s in enumerate(steps)
        if not set(_templates_of(s)) <= mine
    }
    if errors:
        raise Invalid("A step names a template that does not exist.", {"steps": errors})


def _templates_of(step: dict) -> list[int]:
    return [step["template_id"], *(v["template_id"] for v in step.get("variants") or ())]


def _build_steps(steps: list[dict]) -> list[SequenceStep]:
    """Step rows in the given order (position 1..n), defaults filled."""
    rows = []
    for position, values in enumerate(steps, start=1):
        merged = {**STEP_DEFAULTS, **{k: v for k, v in values.items() if k in STEP_FIELDS}}
        merged["delay_hours"] = float(merged["delay_hours"])
        rows.append(SequenceStep(position=position, **merged))
    return rows


def step_dicts(sequence: Sequence) -> list[dict]:
    """The steps as plain dicts (audit trail, responses)."""
    return [{f: getattr(s, f) for f in STEP_FIELDS} for s in sequence.steps]


def create(session: Session, site: Site, values: dict, actor: int, now: datetime) -> Sequence:
    """A new sequence with its ordered steps."""
    _check_templates(session, site, values["steps"])
    sequence = Sequence(
        site_id=site.id,
        name=values["name"],
        created_at=now,
        updated_at=now,
        steps=_build_steps(values["steps"]),
    )
    session.add(sequence)
    session.flush()
    assign.sync(session, sequence)
    audit.log(
        session,
        site,
        actor,
        "sequence.create",
        "sequence",
        sequence.id,
        {"name": sequence.name, "steps": len(sequence.steps)},
        now,
    )
    return sequence


def update(
    session: Session, site: Site, sequence: Sequence, values: dict, actor: int, now: datetime
) -> Sequence:
    """Rename and/or replace the steps (active enrollments continue at their step number)."""
    changes = {}
    if "name" in values and values["name"] != sequence.name:
        changes["name"] = [sequence.name, values["name"]]
        sequence.name = values["name"]
    if "steps" in values:
        _check_templates(session, site, values["steps"])
        old = step_dicts(sequence)
        sequence.steps = []
        session.flush()  # old rows go before the new positions are inserted
        sequence.steps = _build_steps(values["steps"])
        session.flush()
        assign.sync(session, sequence)
        if step_dicts(sequence) != old:
            changes["steps"] = [len(old), len(sequence.steps)]
    if changes:
        sequence.updated_at = now
        audit.log(session, site, actor, "sequence.update", "sequence", sequence.id, changes, now)
    session.flush()
    return sequence


def active_counts(session: Session, sequence_ids: list[int]) -> dict[int, int]:
    """{sequence id: how many enrollments still run it} in one query (absent: none)."""
    if not sequence_ids:
        return {}
    return dict(
        session.execute(
            select(Enrollment.sequence_id, func.count(Enrollment.id))
            .where(Enrollment.sequence_id.in_(sequence_ids), Enrollment.status == "active")
            .group_by(Enrollment.sequence_id)
        ).all()
    )


def steps_of(session: Session, sequence_id: int) -> list[SequenceStep]:
    """A sequence's steps in order (read once per transaction and sequence)."""
    cache = STEPS_READ.of(session)
    if sequence_id not in cache:
        cache[sequence_id] = list(
            session.scalars(
                select(SequenceStep)
                .where(SequenceStep.sequence_id == sequence_id)
                .order_by(SequenceStep.position)
            )
        )
    return cache[sequence_id]


def delete(session: Session, site: Site, sequence: Sequence, actor: int, now: datetime) -> None:
    """Delete a sequence no enrollment is running (409 otherwise).

    Finished enrollments and sent emails keep pointing at it, so the row stays (soft
    delete); its steps go, which frees their templates for deletion.
    """
    running = active_counts(session, [sequence.id]).get(sequence.id, 0)
    if running:
        raise Conflict(
            f"This sequence is running for {running} opportunit"
            f"{'y' if running == 1 else 'ies'}; stop them first.",
            active=running,
        )
    audit.log(
        session,
        site,
        actor,
        "sequence.delete",
        "sequence",
        sequence.id,
        {"name": sequence.name},
        now,
    )
    sequence.deleted_at = now
    sequence.updated_at = now
    sequence.steps = []
    session.flush()


def warnings(sequence: Sequence, site: Site) -> list[dict]:
    """Steps that cannot go when their delay says: a follow-up sooner than the site's
    cooldown waits for the cooldown (limits.py), so saving such a sequence says so."""
    cooldown = float(site.cooldown_hours or 0)
    return [
        {
            "field": f"steps.{i}.delay_hours",
            "message": f"Step {i + 1} is set to go {step.delay_hours:g} hours after step {i}, "
            f"but the site waits {cooldown:g} hours between two emails to one prospect "
            f"(its cooldown): it will go {cooldown:g} hours after step {i}.",
        }
        for i, step in enumerate(sequence.steps)
        if i > 0 and float(step.delay_hours) < cooldown
    ]
