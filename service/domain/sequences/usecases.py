"""What a person does with sequences: define them, start one on a card (step 1 goes out
at once through the one send path, or at its slot in the sending queue), stop it, and
both on many cards at once."""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.unit_of_work import UnitOfWork
from service.domain.cards import queries
from service.domain.errors import NotFound, UpstreamRefused
from service.domain.ports import Clock, MailPort
from service.domain.sending.send_path import deliver
from service.domain.sequences import bulk, definitions, enrollments, prepare, record
from service.models import Email, Enrollment, Sequence, SequenceStep, Site


def list_sequences(uow: UnitOfWork, site: Site) -> list[Sequence]:
    """All sequences of the site, each with how many enrollments run it."""
    return _with_counts(uow.session, site, definitions.list_all(uow.session, site))


def get_sequence(uow: UnitOfWork, site: Site, sequence_id: int) -> Sequence:
    """One sequence with its steps."""
    return _with_counts(uow.session, site, [definitions.get(uow.session, site, sequence_id)])[0]


def create_sequence(uow: UnitOfWork, site: Site, values: dict, actor: int, now: datetime):
    """A new sequence (422 when a step names another site's or no template)."""
    with uow:
        sequence = definitions.create(uow.session, site, values, actor, now)
        uow.commit()
        return _with_counts(uow.session, site, [sequence])[0]


def change_sequence(uow: UnitOfWork, site: Site, sequence_id: int, values: dict, actor, now):
    """Rename it or replace its steps (running enrollments continue at their step)."""
    with uow:
        sequence = definitions.get(uow.session, site, sequence_id, lock=True)
        definitions.update(uow.session, site, sequence, values, actor, now)
        uow.commit()
        return _with_counts(uow.session, site, [sequence])[0]


def delete_sequence(uow: UnitOfWork, site: Site, sequence_id: int, actor: int, now: datetime):
    """Delete a sequence (409 while an enrollment is running it)."""
    uow.run(
        lambda session: definitions.delete(
            session, site, definitions.get(session, site, sequence_id, lock=True), actor, now
        )
    )


def card_enrollment(uow: UnitOfWork, site: Site, card_id: int) -> Enrollment:
    """The card's active enrollment, or its latest one (404 if it never ran one)."""
    card = queries.get(uow.session, site, card_id)
    latest = uow.session.scalar(
        select(Enrollment)
        .where(Enrollment.opportunity_id == card.id)
        .order_by(Enrollment.id.desc())
        .limit(1)
    )
    if latest is None:
        raise NotFound("This opportunity has never run a sequence.")
    return _shown(uow.session, latest)


def enrol(
    uow: UnitOfWork,
    mail: MailPort,
    clock: Clock,
    site: Site,
    card_id: int,
    values: dict,
    actor: int,
    now: datetime,
) -> Enrollment:
    """Start a sequence on a card: step 1 goes out at once, or waits for its slot in the
    sending queue when the site's pacing leaves no room now (`scheduled_for`); 429 on
    another limit: nothing is enrolled; 502 when SendGrid refuses it: the enrollment
    exists and says what next."""
    owner = _holder()
    with uow:
        session = uow.session
        card = queries.get(session, site, card_id)
        sequence = definitions.get(session, site, values["sequence_id"], lock=True)
        step = prepare.enroll(session, site, card, sequence, values["to"], actor, owner, now, mail)
        uow.commit()  # the enrollment and step 1's reservation are on record before SendGrid
        if isinstance(step, prepare.Queued):
            return _shown(session, step.enrollment)  # the scheduler sends step 1 at its slot
        # Step 1 is a chunk of one: recorded like the scheduler's steps, by the same code.
        counts = deliver(uow, [step], partial(_record, owner=owner), clock)
        if "sent" not in counts:
            raise UpstreamRefused(
                step_one_failure(step.enrollment, step.email), enrollment_id=step.enrollment.id
            )
        return _shown(session, step.enrollment)


def stop(uow: UnitOfWork, site: Site, card_id: int, actor: int, now: datetime) -> Enrollment:
    """Stop the card's active sequence (reason `manual`; 404 without one)."""
    with uow:
        card = queries.get(uow.session, site, card_id)
        enrollment = enrollments.active_enrollment(uow.session, card.id)
        if enrollment is None:
            raise NotFound("This opportunity has no active sequence.")
        enrollments.stop_audited(uow.session, enrollment, "manual", actor, now)
        bulk.unqueue(uow.session, site, [card], {card.id: enrollment}, actor, now)
        uow.commit()
        return _shown(uow.session, enrollment)


def enrol_many(
    uow: UnitOfWork,
    mail: MailPort,
    clock: Clock,
    site: Site,
    ids: list[int],
    values: dict,
    actor: int,
    now: datetime,
) -> bulk.Outcome:
    """Start a sequence on each card; each step 1 that has room now is sent during the
    call, then all are recorded as one chunk; the others wait for their slots in the
    sending queue (`queued`). A step 1 SendGrid refused fails its card (502)."""
    owner = _holder()
    with uow:
        started = bulk.enrol_many(
            uow.session, site, ids, values["sequence_id"], values.get("to"), actor, owner, now, mail
        )
        uow.commit()  # every enrollment and step 1 reservation on record before SendGrid
        if started.steps:
            deliver(uow, started.steps, partial(_record, owner=owner), clock)
        for step in started.steps:
            if step.email.send_state != "sent":
                failure = UpstreamRefused(step_one_failure(step.enrollment, step.email))
                started.failed.append((step.enrollment.opportunity_id, failure))
    return started


def stop_many(uow: UnitOfWork, site: Site, ids: list[int], actor: int, now: datetime):
    """Stop the active sequence of each card (a card without one fails 404)."""
    return uow.run(bulk.stop_many, site, ids, actor, now)


def step_one_failure(enrollment: Enrollment, email: Email) -> str:
    """What SendGrid said about step 1 and what happens to the sequence now."""
    said = email.error or "SendGrid did not accept the email."
    if enrollment.status == "stopped":
        return f"{said} The sequence was stopped (step 1 failed)."
    if email.send_state == "failed":
        return (
            f"{said} The sequence was started; step 1 will be retried at "
            f"{enrollment.next_step_at:%H:%M} UTC."
        )
    return f"{said} The sequence was started and step 1 will not be repeated."


def _record(session: Session, steps: list, now: datetime, owner: str):
    return record.record_chunk(session, steps, owner, now)


def _holder() -> str:
    """The lease owner of this call's step 1s (held until they are recorded)."""
    return f"api:{os.getpid()}:{secrets.token_hex(3)}"


def _with_counts(session: Session, site: Site, items: list[Sequence]) -> list[Sequence]:
    """Attach how many enrollments run each sequence (one query), and its warnings."""
    counts = definitions.active_counts(session, [s.id for s in items])
    for item in items:
        item.active_enrollments = counts.get(item.id, 0)
        item.warnings = definitions.warnings(item, site)
    return items


def _shown(session: Session, enrollment: Enrollment) -> Enrollment:
    """Attach total_steps and, while step 1 waits in the queue, its scheduled_for."""
    waiting = enrollment.status == "active" and enrollment.current_step == 0
    enrollment.scheduled_for = enrollment.next_step_at if waiting else None
    enrollment.total_steps = session.scalar(
        select(func.count(SequenceStep.id)).where(
            SequenceStep.sequence_id == enrollment.sequence_id
        )
    )
    return enrollment
