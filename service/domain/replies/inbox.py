"""The Inbox: every reply of a site in one list, unread first, then newest; filtered by kind,
label and read state; each with its card and the email it answers (docs/api.md §16)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Email, Opportunity, Reply, Site

NO_LABEL = "none"  # the label filter's word for replies no one labelled yet


def page(session: Session, site: Site, args: dict) -> tuple[list[Reply], int, int]:
    """One page of the site's replies, the total matching, and the site's unread count.

    Each reply carries `card` (id, domain, source_url, status, contact) and `email` (id,
    subject, to) read in the same query."""
    query = (
        select(Reply, Opportunity, Email.subject, Email.to_email)
        .join(Opportunity, Opportunity.id == Reply.opportunity_id)
        .join(Email, Email.id == Reply.email_id)
        .where(Reply.site_id == site.id, Opportunity.deleted_at.is_(None))
    )
    query = _filtered(query, args)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(
        query.order_by(Reply.read_at.is_not(None), Reply.received_at.desc(), Reply.id.desc())
        .limit(args["page_size"])
        .offset((args["page"] - 1) * args["page_size"])
    ).all()
    for reply, card, subject, to in rows:
        reply.card = card
        reply.email = {"id": reply.email_id, "subject": subject, "to": to}
    return [row[0] for row in rows], total, unread_count(session, site)


def unread_count(session: Session, site: Site) -> int:
    """Unread replies on the site's live cards (the admin menu's bubble)."""
    return session.scalar(
        select(func.count(Reply.id))
        .join(Opportunity, Opportunity.id == Reply.opportunity_id)
        .where(Reply.site_id == site.id, Reply.read_at.is_(None), Opportunity.deleted_at.is_(None))
    )


def _filtered(query, args: dict):
    if args.get("kind"):
        query = query.where(Reply.kind == args["kind"])
    label = args.get("label")
    if label == NO_LABEL:
        query = query.where(Reply.label.is_(None))
    elif label:
        query = query.where(Reply.label == label)
    if args.get("unread") is not None:
        query = query.where(
            Reply.read_at.is_(None) if args["unread"] else Reply.read_at.is_not(None)
        )
    if args.get("opportunity_id"):
        query = query.where(Reply.opportunity_id == args["opportunity_id"])
    return query
