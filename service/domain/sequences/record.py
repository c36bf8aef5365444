"""Recording sequence steps: SendGrid's answers for a chunk (one step, for enrolment's step 1).

The one record path for the API and the worker. No site lock: recording changes no limit
(a refusal only frees a slot). Lock order as everywhere: the board (only when a card will
move to Reached), then rows (emails by id, like webhook batches; cards by id, in the one
flush of every answer; then the enrollments by id, by their guarded UPDATEs), so a chunk
cannot deadlock with user moves. A failed record is run again by the caller's unit of
work; until it lands the row stays pending and is recovered unsent, never resent.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from service.db.bulk import is_postgresql, typed_recordset
from service.domain.cards import changes, counters
from service.domain.cards.board import column_ends, lock_board, mark_fresh
from service.domain.sending.send_path import HandOver, mark_locked, record_sends
from service.domain.sequences import progress
from service.domain.sequences.definitions import steps_of
from service.domain.sequences.prepare import Step
from service.models import Email, Enrollment, Opportunity

WENT = ("sent", "unknown", "pending")  # send states of a step that may have reached SendGrid


def record_chunk(session: Session, jobs: list[Step], owner: str, now: datetime) -> Counter:
    """Record SendGrid's answers for a chunk in the caller's transaction; outcome counts."""
    cards = session.scalars(
        select(Opportunity)
        .where(Opportunity.id.in_({job.email.opportunity_id for job in jobs}))
        .execution_options(populate_existing=True)
    ).all()
    moving = {card.site_id for card in cards if card.status in ("new", "queued")}
    sites = {job.site.id: job.site for job in jobs}
    for site_id in sorted(moving):
        lock_board(session, sites[site_id])
        column_ends(session, sites[site_id], "reached")  # read now: no flush mid-chunk
    if moving:  # re-read under the board lock, once, instead of card by card
        cards = _fresh_cards(session, [c.id for c in cards if c.site_id in moving]) + cards
    email_ids = sorted(job.email.id for job in jobs)
    session.scalars(
        select(Email)
        .where(Email.id.in_(email_ids))
        .order_by(Email.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    mark_locked(session, email_ids)
    jobs = sorted(jobs, key=lambda j: (j.email.opportunity_id, j.email.id))
    with counters.refreshing_once(session):
        # Every answer first, flushed together, then the enrollments: a finish() between
        # two answers would autoflush each step's rows by themselves.
        record_sends(session, jobs, now)
        outcomes = finish_all(session, jobs, owner, now)
    _mark_held(session, jobs, outcomes)
    return Counter(outcomes)


def _mark_held(session: Session, jobs: list[Step], outcomes: list[str]) -> None:
    """The cards of the enrollments finish() updated (all but the lost): their set-based
    UPDATEs are not seen by the flush hook, so they are marked, once per site."""
    held: dict[int, list[int]] = {}
    for job, outcome in zip(jobs, outcomes, strict=True):
        if outcome != "lost":
            held.setdefault(job.enrollment.site_id, []).append(job.enrollment.opportunity_id)
    for site_id, card_ids in held.items():
        changes.mark_cards(session, card_ids, site_id)


def _fresh_cards(session: Session, ids: list[int]) -> list[Opportunity]:
    """Cards re-read under the board lock; lock_board() need not refresh them again."""
    fresh = session.scalars(
        select(Opportunity).where(Opportunity.id.in_(ids)).execution_options(populate_existing=True)
    ).all()
    mark_fresh(session, [card.id for card in fresh])
    return list(fresh)


@functools.cache
def _guarded_update(names: tuple[str, ...], not_before_a_pause: bool):
    """finish()'s UPDATE for a set of columns, built once: building and keying it for
    every step (a CASE, four criteria, RETURNING the entity) was a fifth of a pass's CPU.
    The RETURNING refreshes the enrollment, so nothing else needs synchronising."""
    return _guarded(_bound, names, not_before_a_pause)


def _bound(name: str, column):
    return bindparam(name, type_=column.type)


def _guarded(param, names: tuple[str, ...], not_before_a_pause: bool):
    """The guarded UPDATE of `names` (`param(name, column)`: a value's expression, a bind
    parameter or a recordset column): only while we hold the lease on the step before,
    and the enrollment is still active; RETURNING the enrollment."""
    table = Enrollment.__table__
    values = {name: param(f"new_{name}", table.c[name]) for name in names}
    if not_before_a_pause:
        values["next_step_at"] = progress.not_before_a_pause(values["next_step_at"])
    return (
        update(Enrollment)
        .where(
            Enrollment.id == param("enrollment_id", table.c.id),
            Enrollment.lease_owner == param("owner", table.c.lease_owner),
            Enrollment.current_step == param("previous", table.c.current_step),
            Enrollment.status == "active",
        )
        .values(values)
        .returning(Enrollment)
        .execution_options(synchronize_session=False)
    )


def finish_all(session: Session, jobs: list[Step], owner: str, now: datetime) -> list[str]:
    """finish() for each job of a chunk, in its order. PostgreSQL: the guarded UPDATEs of
    one shape go as one statement (one round trip a chunk, not one a step); each row keeps
    its own guard, and the rows it RETURNs are the enrollments we still held."""
    ids = [job.enrollment.id for job in jobs]
    if not is_postgresql(session) or len(jobs) < 2 or len(set(ids)) < len(ids):
        return [finish(session, j.enrollment, j.email, owner, j.result, now) for j in jobs]
    shapes: dict[tuple, list[dict]] = {}
    for job in sorted(jobs, key=lambda j: j.enrollment.id):  # id order: one lock order
        values, params = _guard(session, job.enrollment, job.email, owner, now)
        shapes.setdefault(_shape(values), []).append(params)
    held = set()
    for (names, not_before_a_pause), rows in shapes.items():
        held.update(_guarded_updates(session, names, not_before_a_pause, rows))
    return [
        _outcome(session, job.enrollment, job.email, job.result, now)
        if job.enrollment.id in held
        else "lost"
        for job in jobs
    ]


def _guarded_updates(session: Session, names, not_before_a_pause: bool, rows) -> set[int]:
    """One guarded UPDATE ... FROM json_to_recordset for rows of one shape: the ids held."""
    table = Enrollment.__table__
    types = {"enrollment_id": table.c.id.type, "owner": table.c.lease_owner.type}
    types["previous"] = table.c.current_step.type
    types.update((f"new_{name}", table.c[name].type) for name in names)
    source, _ = typed_recordset(session, rows, types)
    statement = _guarded(lambda name, _column: source.c[name], names, not_before_a_pause)
    # RETURNING the entities refreshes them, as finish()'s own UPDATE does.
    returned = session.scalars(statement, execution_options={"populate_existing": True})
    return {enrollment.id for enrollment in returned}


def _guard(session: Session, enrollment: Enrollment, email: Email, owner: str, now: datetime):
    """The columns finish() writes and its guarded UPDATE's parameters."""
    steps = steps_of(session, enrollment.sequence_id)
    went = email.send_state in WENT
    values = progress.advance_values(steps, email, now) if went else {"updated_at": now}
    params = {f"new_{name}": value for name, value in values.items()}
    params.update(enrollment_id=enrollment.id, owner=owner, previous=email.step - 1)
    return values, params


def _shape(values: dict) -> tuple[tuple[str, ...], bool]:
    return tuple(values), values.get("next_step_at") is not None


def _outcome(session, enrollment: Enrollment, email: Email, result, now: datetime) -> str:
    """A held step's outcome: sent or unknown when it went, else what the refusal does."""
    if email.send_state in WENT:
        return "sent" if email.send_state == "sent" else "unknown"
    return progress.refused(session, enrollment, email, result, now)


def finish(
    session: Session,
    enrollment: Enrollment,
    email: Email,
    owner: str,
    result: HandOver,
    now: datetime,
) -> str:
    """Advance, schedule a retry, or fail the enrollment, if we still hold its lease.

    One guarded UPDATE decides and (for a step that went) writes: no second statement.
    Returns sent | unknown | retry | failed | lost; the caller marks the card of any but
    lost (changes.mark_cards: the UPDATE is set-based).
    """
    values, params = _guard(session, enrollment, email, owner, now)
    locked = session.scalars(
        _guarded_update(*_shape(values)), params, execution_options={"populate_existing": True}
    ).first()
    if locked is None:
        return "lost"  # another scheduler recovered it after our lease ran out
    return _outcome(session, enrollment, email, result, now)
