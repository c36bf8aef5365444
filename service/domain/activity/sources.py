"""Where activity comes from, one query per source, newest first, at most `limit` each:
the audit trail grouped per instant (a bulk action writes its rows at one `now`, so one
group is one action), replies, unsubscribe clicks and the sequence stops nobody audited
(the stop rules' own: a reply, a bounce, an unsubscribe)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, cast, exists, func, select
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.activity import kinds
from service.models import AuditEntry, Email, EmailEvent, Enrollment, Reply, Site

# A reply's kind (docs/api.md §16) → the entry's kind.
REPLY_KINDS = {
    "human": "reply",
    "bounce": "reply",
    "auto_reply": "auto_reply",
    "unsubscribe_request": "unsubscribe",
}


@dataclass
class Filters:
    limit: int
    before: datetime | None = None
    user: int | None = None
    card: int | None = None
    kind: str | None = None


@dataclass
class Entry:
    """One line of the feed; `user` None: the prospect (a reply, an unsubscribe)."""

    at: datetime
    kind: str
    action: str
    user: int | None
    count: int = 1
    card_id: int | None = None
    detail: dict = field(default_factory=dict)
    domain: str | None = None  # the card's, filled by the use case
    object: tuple[str, str | None] | None = None  # an audit row's resource, for its card


def _where(f: Filters, at, about_card, *own) -> list:
    """A source's conditions: its `own`, then the page's two that every source shares,
    older than `before` (on its time column `at`) and about the card (`about_card(id)`)."""
    where = list(own)
    if f.before is not None:
        where.append(at < f.before)
    if f.card is not None:
        where.append(about_card(f.card))
    return where


def from_audit(session: Session, site: Site, f: Filters) -> list[Entry]:
    """The audit trail, one entry per (instant, person, action, resource type) with its count."""
    a = AuditEntry
    where = _where(f, a.created_at, lambda card: audit.about_card(site, card), a.site_id == site.id)
    if f.user is not None:
        where.append(a.user_id == f.user)
    if f.kind is not None:
        where.append(kinds.action_filter(a.action, f.kind))
    # The oldest instant that can be on the page: grouping only from there reads the
    # page's rows, not the whole trail (docs/api.md §21 has the figures).
    oldest = session.scalar(
        select(a.created_at)
        .where(*where)
        .distinct()
        .order_by(a.created_at.desc())
        .offset(f.limit - 1)
        .limit(1)
    )
    if oldest is not None:
        where.append(a.created_at >= oldest)
    last = func.max(a.id)
    groups = session.execute(
        select(func.count(), last)
        .where(*where)
        .group_by(a.created_at, a.user_id, a.action, a.resource_type)
        .order_by(a.created_at.desc(), last.desc())
        .limit(f.limit)
    ).all()
    rows = {r.id: r for r in session.scalars(select(a).where(a.id.in_([g[1] for g in groups])))}
    return [_audit_entry(rows[last_id], count) for count, last_id in groups]


def _audit_entry(row: AuditEntry, count: int) -> Entry:
    changes = row.changes or {}
    kind = kinds.of_action(row.action)
    if kind == "move":
        was, now = (changes.get("status") or [None, None])[:2]
        detail = {"from": was, "to": now}
    elif row.action == "opportunity.update":
        detail = {"fields": sorted(changes)}
    elif row.action == "enrollment.stop":
        detail = {"reason": changes.get("reason")}
    elif row.action in ("email.reserve", "enrollment.create"):
        detail = {"to": changes.get("to")}
    elif row.action == "reply.label":
        detail = {"label": changes.get("label")}
    else:
        detail = {"object_type": row.resource_type, "object_id": row.resource_id}
    entry = Entry(row.created_at, kind, row.action, row.user_id, count, detail=detail)
    entry.object = (row.resource_type, row.resource_id)
    return entry


def from_replies(session: Session, site: Site, f: Filters) -> list[Entry]:
    """Replies as they arrived (a person filter leaves them out: the prospect wrote them)."""
    if f.user is not None or f.kind not in (None, *REPLY_KINDS.values()):
        return []
    r = Reply
    where = _where(f, r.received_at, lambda card: r.opportunity_id == card, r.site_id == site.id)
    if f.kind is not None:
        where.append(r.kind.in_([k for k, v in REPLY_KINDS.items() if v == f.kind]))
    rows = session.execute(
        select(r.id, r.received_at, r.kind, r.opportunity_id, r.from_address)
        .where(*where)
        .order_by(r.received_at.desc(), r.id.desc())
        .limit(f.limit)
    ).all()
    return [
        Entry(at, REPLY_KINDS.get(kind, "reply"), "reply.received", None, 1, card,
              {"reply_kind": kind, "from": sender, "reply_id": rid})
        for rid, at, kind, card, sender in rows
    ]  # fmt: skip


def from_unsubscribes(session: Session, site: Site, f: Filters) -> list[Entry]:
    """Unsubscribe clicks (the link in an email, or SendGrid's)."""
    if f.user is not None or f.kind not in (None, "unsubscribe"):
        return []
    e, m = EmailEvent, Email
    own = (e.site_id == site.id, e.type == "unsubscribed")
    where = _where(f, e.occurred_at, lambda card: m.opportunity_id == card, *own)
    rows = session.execute(
        select(e.occurred_at, m.opportunity_id, m.to_email)
        .join(m, m.id == e.email_id)
        .where(*where)
        .order_by(e.occurred_at.desc(), e.id.desc())
        .limit(f.limit)
    ).all()
    return [
        Entry(at, "unsubscribe", "email.unsubscribed", None, 1, card, {"address": to})
        for at, card, to in rows
    ]


def from_stops(session: Session, site: Site, f: Filters) -> list[Entry]:
    """Sequences the stop rules stopped (audited stops come from the trail), grouped per
    instant and reason: one bounce stopping three enrollments is one entry."""
    if f.user not in (None, 0) or f.kind not in (None, "sequence"):
        return []
    n, a = Enrollment, AuditEntry
    audited = exists().where(
        a.site_id == site.id,
        a.resource_type == "enrollment",
        a.resource_id == cast(n.id, String),
        a.action == "enrollment.stop",
    )
    own = (n.site_id == site.id, n.status == "stopped", n.stopped_at.is_not(None), ~audited)
    where = _where(f, n.stopped_at, lambda card: n.opportunity_id == card, *own)
    last = func.max(n.id)
    groups = session.execute(
        select(n.stopped_at, n.stop_reason, func.count(), last)
        .where(*where)
        .group_by(n.stopped_at, n.stop_reason)
        .order_by(n.stopped_at.desc(), last.desc())
        .limit(f.limit)
    ).all()
    cards = dict(
        session.execute(
            select(n.id, n.opportunity_id).where(n.id.in_([g[3] for g in groups]))
        ).all()
    )
    return [
        Entry(at, "sequence", "enrollment.stopped", 0, count, cards.get(last_id),
              {"reason": reason})
        for at, reason, count, last_id in groups
    ]  # fmt: skip


SOURCES = (from_audit, from_replies, from_unsubscribes, from_stops)
