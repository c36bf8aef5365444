"""Preparing sequence steps: enroll (step 1), decide whether a due step may go, reserve it.

Exactly once rests on three facts: (1) only the lease holder prepares a step; (2) the
email row of (enrollment, step) is reserved and COMMITTED before SendGrid is called, and
the database refuses a second row for the same step; (3) a row found `pending` or
`unknown` is never sent again: it is recorded as a step with an unknown outcome.
Enrolment reserves step 1 through the same reserve_step() as every later step; it only
refuses (422/429) where the scheduler postpones or stops.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.domain import audit, timeline
from service.domain.deliverability import windows
from service.domain.errors import Conflict, Invalid, LimitExceeded
from service.domain.experiments import assign
from service.domain.jobs import LEASE
from service.domain.ports import MailPort
from service.domain.sending import limits, queue, scheduled
from service.domain.sending.send_path import Send, reserve
from service.domain.sending.stale_job import mark_stopped_mid_send
from service.domain.sequences import claims, enrollments, progress, stop_rules, threads
from service.domain.sequences.definitions import steps_of
from service.domain.templates import rendering
from service.models import Enrollment, Opportunity, Sequence, SequenceStep, Site, Template


@dataclass(kw_only=True)
class Step(Send):
    """One reserved step on its way (the send of its email, and its enrollment)."""

    enrollment: Enrollment


@dataclass(kw_only=True)
class Queued:
    """Step 1 of a new enrollment waits for its slot in the sending queue."""

    enrollment: Enrollment
    scheduled_for: datetime


@dataclass
class Due:
    """decide(): this step should be reserved now, rendered."""

    step: SequenceStep
    number: int
    rendered: rendering.Rendered
    in_reply_to: str | None = None  # the first email's Message-ID (a threaded follow-up)
    thread_note: str | None = None  # why a follow-up is threaded by subject only
    variant: int | None = None  # the A/B variant this enrollment sends (docs/api.md §18)
    template_id: int | None = None  # the variant's template (None: the step's)


def render_step(
    session: Session, step: SequenceStep, opp: Opportunity, template_id: int | None = None
) -> rendering.Rendered:
    """The step's template (or one of its variants') filled from the opportunity."""
    template = session.get(Template, template_id or step.template_id)
    return rendering.render(
        template.subject, template.body, rendering.values_for(opp, session.get(Site, opp.site_id))
    )


def check_renderable(session: Session, steps: list[SequenceStep], opp: Opportunity) -> None:
    """422 naming the placeholders any step (or variant) needs but the opportunity lacks."""
    missing = sorted(
        {
            m
            for s in steps
            for t in [s.template_id, *(v["template_id"] for v in s.variants or ())]
            for m in render_step(session, s, opp, t).missing
        }
    )
    if missing:
        names = ", ".join("{{" + m + "}}" for m in missing)
        raise Invalid(
            f"The sequence uses {names}, which this opportunity has no value for.",
            {"placeholders": [f"No value for {{{{{m}}}}}." for m in missing]},
        )


def enroll(
    session: Session,
    site: Site,
    opp: Opportunity,
    sequence: Sequence,
    to: str,
    actor: int,
    owner: str,
    now: datetime,
    mail: MailPort,
) -> Step | Queued:
    """Create the enrollment and reserve step 1, or queue it for the earliest slot when
    the site's pacing leaves no room now (LimitExceeded leaves nothing behind)."""
    if not sequence.steps:
        raise Invalid("This sequence has no steps.", {"sequence_id": ["Sequence has no steps."]})
    steps = list(sequence.steps)
    check_renderable(session, steps, opp)
    if enrollments.active_enrollment(session, opp.id) is not None:
        raise Conflict("This opportunity already runs a sequence; stop it first.")
    # Held by the caller until step 1 is recorded; if it dies, the lease expires and
    # the scheduler finds the pending row (never resent).
    enrollment = Enrollment(
        site_id=site.id,
        sequence_id=sequence.id,
        opportunity_id=opp.id,
        to_email=to,
        status="active",
        current_step=0,
        next_step_at=now,
        lease_owner=owner,
        lease_until=now + LEASE,
        attempts=0,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(enrollment)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("This opportunity already runs a sequence; stop it first.") from None
    at = queue.slot(session, site, now)
    if at > now:
        job = _queue_step_one(session, site, opp, enrollment, at, now)
    else:
        first = _due(session, enrollment, steps[0], 1, opp, now)
        job = reserve_step(session, site, opp, enrollment, first, now, mail)
    queue.take(session, site, at)
    detail = {"sequence_id": sequence.id, "opportunity_id": opp.id, "to": to}
    if at > now:
        detail["scheduled_for"] = at.isoformat()
    audit.log(session, site, actor, "enrollment.create", "enrollment", enrollment.id, detail, now)
    return job


def _queue_step_one(
    session: Session, site: Site, opp: Opportunity, enrollment: Enrollment, at, now
) -> Queued:
    """No room now: step 1 waits for its slot (the scheduler sends it then) and the card
    moves to Queued. What no wait changes refuses now, as a send would: a listed address
    (422), a pause or the recipient's cooldown (429)."""
    queue.check_recipient(session, site, enrollment.to_email, now, opp.id)
    enrollment.next_step_at, enrollment.lease_owner, enrollment.lease_until = at, None, None
    scheduled.queue_card(session, site, opp, enrollment.created_by, now)
    return Queued(enrollment=enrollment, scheduled_for=at)


def reserve_step(
    session: Session,
    site: Site,
    opp: Opportunity,
    enrollment: Enrollment,
    due: Due,
    now: datetime,
    mail: MailPort,
) -> Step:
    """Reserve the step's email row under the limits (raises Invalid / LimitExceeded)."""
    email = reserve(
        session,
        site,
        opp,
        enrollment.to_email,
        due.rendered,
        template_id=due.template_id or due.step.template_id,
        actor=enrollment.created_by,
        now=now,
        enrollment=enrollment,
        step=due.number,
        in_reply_to=due.in_reply_to,
        variant=due.variant,  # in the INSERT: set after it, it was an UPDATE a step
    )
    if due.thread_note:
        timeline.add_soon(session, email, "threaded", now, {"note": due.thread_note}, "threaded")
    return Step.of(site, email, mail, enrollment=enrollment)


def decide(session: Session, enrollment: Enrollment, now: datetime) -> Due | str:
    """Under the lease, before the site lock: the step to reserve, or what happened instead
    (completed | stopped | recovered)."""
    steps = steps_of(session, enrollment.sequence_id)
    number = enrollment.current_step + 1
    emails = stop_rules.enrollment_emails(session, enrollment)  # one read for both questions
    existing = next(
        (e for e in emails if e.enrollment_id == enrollment.id and e.step == number), None
    )
    if existing is not None and existing.send_state != "failed":
        if existing.send_state == "pending":
            # The process that reserved it died or lost its lease mid-send.
            mark_stopped_mid_send(session, existing, now)
        progress.advance(enrollment, steps, existing, now)  # never sent again: move on
        return "recovered"
    if number > len(steps):
        progress.complete(enrollment, now)
        return "completed"
    reason = stop_rules.stop_reason(session, enrollment, steps, emails)
    if reason is not None:
        enrollments.stop_audited(session, enrollment, reason, 0, now)
        return "stopped"
    if existing is not None:  # a refused attempt: make room for the retry
        session.delete(existing)
        session.flush()
    opp = session.get(Opportunity, enrollment.opportunity_id)
    step = steps[number - 1]
    due = _due(session, enrollment, step, number, opp, now)
    rendered, due.in_reply_to, due.thread_note = threads.follow_up(
        step, number, due.rendered, enrollment, emails
    )
    due.rendered = rendered
    return due


def _due(session, enrollment: Enrollment, step: SequenceStep, number: int, opp, now) -> Due:
    """The step rendered with this enrollment's variant of it (taken once, then kept)."""
    variant, template_id = assign.variant_for(session, enrollment, step, now)
    rendered = render_step(session, step, opp, template_id)
    return Due(step, number, rendered, variant=variant, template_id=template_id)


def _reserve_due(
    session: Session, enrollment: Enrollment, due: Due, now: datetime, mail: MailPort
) -> Step | str:
    """reserve_step(), postponing on a limit and stopping on a suppressed address."""
    site = session.get(Site, enrollment.site_id)
    opp = session.get(Opportunity, enrollment.opportunity_id)
    opening = windows.next_send_time(site, now, enrollment.id)
    if opening > now:
        note = f"Step {due.number} waits for the sending window (opens {opening.isoformat()})."
        progress.postpone(enrollment, opening, note, now)
        return "postponed"
    try:
        return reserve_step(session, site, opp, enrollment, due, now, mail)
    except LimitExceeded as exc:
        # A pause has no end of its own: look again a little later (resume is by hand).
        until = exc.retry_at or now + limits.PAUSED_RECHECK
        progress.postpone(enrollment, until, f"Step {due.number} postponed: {exc.message}", now)
        return "postponed"
    except Invalid as exc:
        enrollments.stop_audited(
            session, enrollment, "suppressed", 0, now, f"Step {due.number} not sent: {exc.message}"
        )
        return "stopped"


def prepare_chunk(
    session: Session,
    ids: list[int],
    owner: str,
    now: datetime,
    lease: timedelta,
    mail: MailPort,
) -> tuple[list[Step], Counter]:
    """Hold, re-check and reserve each claimed step (the caller commits before sending)."""
    held = claims.hold_many(session, ids, owner, now, lease)
    loaded = _load_for_prepare(session, held)  # noqa: F841 (keeps the rows in the session)
    jobs, counts = [], Counter({"skipped": len(ids) - len(held)} if len(held) < len(ids) else {})
    _lock_counters(session, held)
    # Re-checks and rendering first: the site lock (taken by the first reservation and
    # held until commit) then covers only the limit checks and the inserts.
    decided = [(e, decide(session, e, now)) for e in held]
    # The chunk's audit entries and timeline notes in one INSERT each, not one a step.
    with audit.logging_once(session), timeline.adding_once(session):
        for enrollment, due in decided:
            prepared = (
                _reserve_due(session, enrollment, due, now, mail) if isinstance(due, Due) else due
            )
            if isinstance(prepared, Step):
                jobs.append(prepared)
            else:
                counts[prepared] += 1
    return jobs, counts


def _lock_counters(session: Session, held: list[Enrollment]) -> None:
    """The A/B counters this chunk may take turns of, locked in id order up front."""
    keys = []
    for enrollment in held:
        steps = steps_of(session, enrollment.sequence_id)
        if enrollment.current_step < len(steps):
            keys.append(assign.pending_key(enrollment, steps[enrollment.current_step]))
    assign.lock_counters(session, [k for k in keys if k])


def _load_for_prepare(session: Session, held: list[Enrollment]) -> list:
    """Cards, sites, templates and emails of a chunk in four queries (the identity map
    serves the per-step lookups; the list holds them, since the map holds them weakly),
    and the do-not-contact entries of its addresses in one a site."""
    if not held:
        return []
    opps = session.scalars(
        select(Opportunity)
        .where(Opportunity.id.in_({e.opportunity_id for e in held}))
        .execution_options(populate_existing=True)
    ).all()
    sites = session.scalars(
        select(Site)
        .where(Site.id.in_({e.site_id for e in held}))
        .execution_options(populate_existing=True)
    ).all()
    templates = session.scalars(
        select(Template)
        .where(
            Template.id.in_(
                select(SequenceStep.template_id).where(
                    SequenceStep.sequence_id.in_({e.sequence_id for e in held})
                )
            )
        )
        .execution_options(populate_existing=True)
    ).all()
    stop_rules.prefetch_listings(session, held)
    return [*opps, *sites, *templates, *stop_rules.prefetch_emails(session, held)]
