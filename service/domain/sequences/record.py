"""Sequence steps in chunks: one transaction reserves a chunk, threads send it, one records it.

The rules are the single-step ones (steps.prepare, steps.record_step); only the
transaction boundaries differ. Exactly once still rests on the reservation being
committed before SendGrid is called, and on the lease. Per step, a chunk saves two
commits, the site lock, the sequence's steps, the daily-cap count and the row loads.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import transaction_memo
from service.domain import sending
from service.domain import timeline as events
from service.domain.mail import OutgoingMail
from service.domain.opportunities import writes as pipeline
from service.domain.sequences import claims
from service.domain.sequences import prepare as steps
from service.domain.sequences import stop_rules as recheck
from service.models import Email, Enrollment, Opportunity, SequenceStep, Site, Template


@dataclass
class Job:
    """One reserved step on its way: the message is plain data, safe in a pool thread."""

    enrollment: Enrollment
    email: Email
    site: Site
    mail: OutgoingMail
    email_id: int  # read by the pool thread: the ORM objects stay in the database thread
    result: sending.HandOver | None = None


def prepare_chunk(session: Session, ids: list[int], owner: str, now: datetime,
                  lease: timedelta, reply_domain: str | None) -> tuple[list[Job], Counter]:
    """Hold, re-check and reserve each claimed step in one transaction, then commit."""
    held = claims.hold_many(session, ids, owner, now, lease)
    loaded = _load_for_prepare(session, held)  # noqa: F841 (keeps the rows in the session)
    jobs, counts = [], Counter({"skipped": len(ids) - len(held)} if len(held) < len(ids)
                               else {})
    # Re-checks and rendering first: the site lock (taken by the first reservation and
    # held until commit) then covers only the limit checks and the inserts.
    decided = [(e, steps.decide(session, e, now)) for e in held]
    for enrollment, decision in decided:
        prepared = (steps.reserve_due(session, enrollment, decision, now)
                    if decision.outcome == "due" else decision)
        if prepared.outcome != "send":
            counts[prepared.outcome] += 1
            continue
        site = session.get(Site, enrollment.site_id)
        jobs.append(Job(enrollment, prepared.email, site,
                        sending.outgoing(site, prepared.email, reply_domain), prepared.email.id))
    session.commit()  # every reservation is on record before SendGrid is called
    return jobs, counts


def _load_for_prepare(session: Session, held: list[Enrollment]) -> list:
    """Cards, sites and templates of a chunk in three queries (the identity map serves the
    per-step lookups; the list holds them, since the map itself holds them weakly)."""
    if not held:
        return []
    opps = session.scalars(select(Opportunity).where(
        Opportunity.id.in_({e.opportunity_id for e in held}))
        .execution_options(populate_existing=True)).all()
    sites = session.scalars(select(Site).where(Site.id.in_({e.site_id for e in held}))
                            .execution_options(populate_existing=True)).all()
    templates = session.scalars(select(Template).where(Template.id.in_(
        select(SequenceStep.template_id).where(
            SequenceStep.sequence_id.in_({e.sequence_id for e in held}))))
        .execution_options(populate_existing=True)).all()
    return [*opps, *sites, *templates, *_load_enrollment_emails(session, held)]


def _load_enrollment_emails(session: Session, held: list[Enrollment]) -> list[Email]:
    """recheck.enrollment_emails() of every held enrollment, from one query."""
    emails = session.scalars(recheck.candidates(held)
                             .execution_options(populate_existing=True)).all()
    memo = transaction_memo(session)
    for enrollment in held:
        memo[("enrollment_emails", enrollment.id)] = [
            email for email in emails if recheck.belongs_to(email, enrollment)]
    return list(emails)


def _fresh_cards(session: Session, ids: list[int]) -> list[Opportunity]:
    """Cards re-read under the board lock; lock_board() need not refresh them again."""
    fresh = session.scalars(select(Opportunity).where(Opportunity.id.in_(ids))
                            .execution_options(populate_existing=True)).all()
    transaction_memo(session).update({("card_fresh", card.id): True for card in fresh})
    return list(fresh)


def record_chunk(session: Session, jobs: list[Job], owner: str, now: datetime) -> Counter:
    """Record SendGrid's answers for a chunk in one transaction, then commit.

    No site lock: recording changes no limit (a refusal only frees a slot). Lock order as
    everywhere: the board (only when a card will move to Reached), then rows (emails by
    id, like webhook batches; cards by id), so a chunk cannot deadlock with user moves.
    """
    cards = session.scalars(select(Opportunity).where(
        Opportunity.id.in_({job.email.opportunity_id for job in jobs}))
        .execution_options(populate_existing=True)).all()
    moving = {card.site_id for card in cards if card.status in ("new", "queued")}
    sites = {job.site.id: job.site for job in jobs}
    for site_id in sorted(moving):
        pipeline.lock_board(session, sites[site_id])
    if moving:  # re-read under the board lock, once, instead of card by card
        cards = _fresh_cards(session, [c.id for c in cards if c.site_id in moving]) + cards
    email_ids = sorted(job.email.id for job in jobs)
    session.scalars(select(Email).where(Email.id.in_(email_ids)).order_by(Email.id)
                    .with_for_update().execution_options(populate_existing=True)).all()
    memo = transaction_memo(session)
    memo.update({("email_lock", email_id): True for email_id in email_ids})
    memo["deferred_cards"] = set()
    counts = Counter()
    for job in sorted(jobs, key=lambda j: (j.email.opportunity_id, j.email.id)):
        counts[steps.record_step(session, job.enrollment, job.email, job.site, job.result,
                                 owner, now)] += 1
    events.refresh_cards(session, memo["deferred_cards"])
    session.commit()
    return counts
