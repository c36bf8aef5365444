"""Email timelines: stored events, first-time stamps and the monotonic status.

Everything here is order-independent: applying the same events in any order, any number
of times, gives the same email row (stamps keep the earliest time, status is derived).
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.models import Email, EmailEvent, Opportunity
from service.models.email import STATUS_RANK

# Which first-time stamp each event kind sets (opens only when a person opened it).
STAMPS = {"delivered": "delivered_at", "open": "opened_at", "click": "clicked_at",
          "bounce": "bounced_at", "dropped": "bounced_at", "replied": "replied_at"}
STATUS_OF_STAMP = (("replied_at", "replied"), ("clicked_at", "clicked"),
                   ("opened_at", "opened"), ("delivered_at", "delivered"))
CHUNK = 500  # rows per multi-row INSERT: well under both backends' parameter limits


def dialect_insert(session: Session, model):
    """INSERT that can skip conflicting rows on this backend (ON CONFLICT DO NOTHING)."""
    name = session.get_bind().dialect.name
    return (postgresql.insert(model) if name == "postgresql" else sqlite.insert(model))


def insert_ignore(session: Session, model, rows: list[dict], returning=()) -> list:
    """Set-based insert that skips rows violating a unique constraint; returns inserted."""
    inserted = []
    for start in range(0, len(rows), CHUNK):
        stmt = dialect_insert(session, model).values(rows[start:start + CHUNK])
        stmt = stmt.on_conflict_do_nothing()
        if returning:
            inserted.extend(session.execute(stmt.returning(*returning)).all())
        else:
            session.execute(stmt)
    return inserted


def event_key(kind: str, at: datetime, url: str | None = None, extra: str = "") -> str:
    """Fallback identity of an event (duplicates may carry a fresh sg_event_id)."""
    raw = f"{kind}\n{int(at.timestamp())}\n{url or ''}\n{extra}"
    return hashlib.sha256(raw.encode()).hexdigest()


def row(email: Email, kind: str, at: datetime, now: datetime, detail: dict | None,
        key: str, sg_event_id: str | None = None, machine_open: bool = False) -> dict:
    """An email_events row as a plain dict (for set-based inserts)."""
    return {"site_id": email.site_id, "email_id": email.id, "type": kind, "occurred_at": at,
            "received_at": now, "machine_open": machine_open, "sg_event_id": sg_event_id,
            "event_key": key[:64], "detail": detail or None}


def add(session: Session, email: Email, kind: str, at: datetime, detail: dict | None,
        key: str, now: datetime | None = None) -> bool:
    """Store one event unless it is already stored; True when it is new."""
    got = insert_ignore(session, EmailEvent, [row(email, kind, at, now or at, detail, key)],
                        returning=(EmailEvent.id,))
    return bool(got)


def stamp(email: Email, kind: str, at: datetime, machine_open: bool = False) -> bool:
    """Apply one event's first-time stamp; True when it changed the email."""
    column = STAMPS.get(kind)
    if column is None or (kind == "open" and machine_open):
        return False
    current = getattr(email, column)
    if current is not None and current <= at:
        return False
    setattr(email, column, at)
    return True


def refresh_status(email: Email) -> str | None:
    """Status = the furthest stage reached; a bounce overrides everything."""
    if email.bounced_at is not None:
        status = "bounced"
    else:
        status = next((s for col, s in STATUS_OF_STAMP if getattr(email, col) is not None),
                      "sent" if email.send_state == "sent" else None)
    assert status is None or status == "bounced" or status in STATUS_RANK
    email.status = status
    return status


def refresh_cards(session: Session, opportunity_ids) -> None:
    """Set each card's email_status to the status of its latest accepted email."""
    ids = list(set(opportunity_ids))
    if not ids:
        return
    rows = session.execute(select(Email.opportunity_id, Email.status).where(
        Email.opportunity_id.in_(ids), Email.send_state == "sent").order_by(Email.id)).all()
    latest = {opp_id: status for opp_id, status in rows}
    for opp in session.scalars(select(Opportunity).where(Opportunity.id.in_(ids))):
        if opp.id in latest and opp.email_status != latest[opp.id]:
            opp.email_status = latest[opp.id]


def history(session: Session, emails: list[Email]) -> dict[int, list[dict]]:
    """{email_id: [{type, at, detail}]} oldest first, for many emails in one query."""
    found: dict[int, list[dict]] = {e.id: [] for e in emails}
    if not found:
        return found
    for ev in session.scalars(select(EmailEvent).where(EmailEvent.email_id.in_(list(found)))
                              .order_by(EmailEvent.occurred_at, EmailEvent.id)):
        detail = dict(ev.detail or {})
        if ev.machine_open:
            detail["machine_open"] = True
        found[ev.email_id].append({"type": ev.type, "at": ev.occurred_at, "detail": detail})
    return found


# ---- Event Webhook batches -------------------------------------------------------------

KNOWN = {"processed", "dropped", "delivered", "deferred", "bounce", "open", "click",
         "spamreport", "unsubscribe", "group_unsubscribe", "group_resubscribe"}
SUPPRESS = {"bounce": "bounced", "dropped": "dropped", "spamreport": "spamreport",
            "unsubscribe": "unsubscribed", "group_unsubscribe": "unsubscribed"}
# When one address gathers several reasons, the strongest is kept, whatever the arrival
# order: a drop is usually the echo of an earlier bounce/unsubscribe, a complaint outranks all.
REASON_RANK = {"dropped": 1, "unsubscribed": 2, "bounced": 3, "spamreport": 4}
ENGAGEMENT = {"open": "open", "click": "click", "bounce": "bounce", "dropped": "bounce",
              "spamreport": "suppressed", "unsubscribe": "suppressed",
              "group_unsubscribe": "suppressed"}
DETAIL_FIELDS = ("url", "reason", "status", "type", "response", "attempt", "useragent", "ip",
                 "asm_group_id", "sg_machine_open")
MAX_TS = 10_000_000_000  # seconds; anything beyond is not a SendGrid timestamp


def occurred_at(value) -> datetime | None:
    """SendGrid's Unix-seconds timestamp as an aware datetime (None when it is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if not 0 < seconds < MAX_TS:
        return None
    return datetime.fromtimestamp(int(seconds), UTC)


def _detail(ev: dict) -> dict:
    out = {}
    for name in DETAIL_FIELDS:
        value = ev.get(name)
        if value is not None and not isinstance(value, dict | list):
            out[name] = value if isinstance(value, bool | int) else str(value)[:1000]
    return out


def _locked(condition):
    """Emails read for update, in id order (PostgreSQL row locks; SQLite is serialised).

    Concurrent batches for one email then apply one after the other on fresh rows, so the
    derived status never loses a stamp another batch just wrote.
    """
    return (select(Email).where(condition).order_by(Email.id).with_for_update()
            .execution_options(populate_existing=True))


def _match(session: Session, batch: list[dict]) -> list[Email | None]:
    """Our custom arg first, then the sg_message_id prefix (two queries for the batch)."""
    from service.domain.sending import CUSTOM_ARG_EMAIL, CUSTOM_ARG_SITE

    ids = {int(ev[CUSTOM_ARG_EMAIL]) for ev in batch
           if str(ev.get(CUSTOM_ARG_EMAIL, "")).isdigit()}
    prefixes = {str(ev["sg_message_id"]).split(".", 1)[0] for ev in batch
                if isinstance(ev.get("sg_message_id"), str) and ev["sg_message_id"]}
    by_id = {e.id: e for e in session.scalars(_locked(Email.id.in_(ids)))} if ids else {}
    by_mid = {e.message_id: e for e in session.scalars(
        _locked(Email.message_id.in_(prefixes)))} if prefixes else {}
    found = []
    for ev in batch:
        email = None
        raw_id = str(ev.get(CUSTOM_ARG_EMAIL, ""))
        if raw_id.isdigit() and int(raw_id) in by_id:
            email = by_id[int(raw_id)]
            site = ev.get(CUSTOM_ARG_SITE)
            if site is not None and str(site) != str(email.site_id):
                email = None  # an id of another tenant never matches
        if email is None and isinstance(ev.get("sg_message_id"), str):
            email = by_mid.get(ev["sg_message_id"].split(".", 1)[0])
        found.append(email)
    return found


def _rows(batch, matched, now, counts) -> list[tuple[dict, Email, dict]]:
    """Event rows for matched events, deduplicated inside the batch as well."""
    out, seen_ids, seen_keys = [], set(), set()
    for ev, email in zip(batch, matched, strict=True):
        if email is None:
            counts["unmatched"] += 1
            continue
        at, kind = occurred_at(ev["timestamp"]), ev["event"]
        machine = kind == "open" and ev.get("sg_machine_open") is True
        extra = "|".join(str(ev.get(f) or "") for f in ("type", "useragent", "ip", "reason"))
        key = event_key(kind, at, ev.get("url"), f"{extra}|{machine}")
        sg_id = ev.get("sg_event_id") if isinstance(ev.get("sg_event_id"), str) else None
        sg_id = sg_id[:128] if sg_id else None
        if (sg_id and sg_id in seen_ids) or (email.id, key) in seen_keys:
            counts["duplicates"] += 1
            continue
        seen_ids.add(sg_id)
        seen_keys.add((email.id, key))
        detail = _detail(ev)
        out.append((row(email, kind, at, now, detail, key, sg_id, machine), email, ev))
    return out


def validate_batch(payload) -> list[dict]:
    """A batch must be a JSON array of objects; anything else is refused (400)."""
    if not isinstance(payload, list) or not all(isinstance(ev, dict) for ev in payload):
        raise ValueError("The Event Webhook body must be a JSON array of event objects.")
    return payload


def ingest(session: Session, payload: list[dict], now: datetime) -> dict:
    """Apply one Event Webhook batch in the caller's transaction; return the counts."""
    from collections import Counter

    counts = Counter(received=len(payload))
    batch = []
    for ev in payload:
        kind = ev.get("event")
        if not isinstance(kind, str) or occurred_at(ev.get("timestamp")) is None:
            counts["invalid"] += 1
        elif kind not in KNOWN:
            counts["unknown"] += 1
        else:
            batch.append(ev)
    candidates = _rows(batch, _match(session, batch), now, counts)
    # One global order for inserts: concurrent batches then lock rows in the same order.
    candidates.sort(key=lambda c: (c[0]["email_id"], c[0]["event_key"]))
    inserted = {(r[0], r[1]) for r in insert_ignore(
        session, EmailEvent, [c[0] for c in candidates],
        returning=(EmailEvent.email_id, EmailEvent.event_key))}
    fresh = [c for c in candidates if (c[0]["email_id"], c[0]["event_key"]) in inserted]
    counts["duplicates"] += len(candidates) - len(fresh)
    counts["stored"] = len(fresh)
    _apply(session, fresh, now)
    return {k: counts.get(k, 0) for k in
            ("received", "stored", "duplicates", "unknown", "unmatched", "invalid")}


def _apply(session: Session, fresh, now: datetime) -> None:
    """Stamps, status, suppressions, card fields and sequence stops for new events."""
    from service.domain import stops

    suppress, engaged, touched = {}, [], set()
    for row_, email, ev in sorted(fresh, key=lambda c: c[0]["occurred_at"]):
        kind = row_["type"]
        if isinstance(ev.get("smtp-id"), str) and not email.smtp_id:
            email.smtp_id = ev["smtp-id"][:300]
        confirm_accepted(session, email, now)
        stamp(email, kind, row_["occurred_at"], row_["machine_open"])
        refresh_status(email)
        touched.add(email.opportunity_id)
        if kind in SUPPRESS:
            key, reason = (email.site_id, email.to_normalized), SUPPRESS[kind]
            if key not in suppress or REASON_RANK[reason] > REASON_RANK[suppress[key][0]]:
                suppress[key] = (reason, email)
        if kind in ENGAGEMENT and not row_["machine_open"]:
            engaged.append((email, ENGAGEMENT[kind]))
    session.flush()
    add_suppressions(session, suppress, now)
    for email, kind in engaged:
        stops.on_engagement(session, email, kind, now)
    refresh_cards(session, touched)
    session.flush()


def add_suppressions(session: Session, found: dict, now: datetime) -> None:
    """{(site_id, address): (reason, email)} into the suppression list (strongest wins)."""
    from service.models import Suppression

    rows = [{"site_id": site_id, "email": address, "reason": reason, "email_id": email.id,
             "created_at": now} for (site_id, address), (reason, email) in found.items()]
    if not rows:
        return
    insert_ignore(session, Suppression, rows)
    for r in rows:  # an existing entry with a weaker reason is upgraded, never downgraded
        weaker = [k for k, rank in REASON_RANK.items() if rank < REASON_RANK[r["reason"]]]
        session.execute(update(Suppression).where(
            Suppression.site_id == r["site_id"], Suppression.email == r["email"],
            Suppression.reason.in_(weaker)).values(reason=r["reason"], email_id=r["email_id"]))


def confirm_accepted(session: Session, email: Email, now: datetime) -> None:
    """An event proves SendGrid accepted an email whose send ended 'unknown'."""
    if email.send_state != "unknown":
        return
    email.send_state = "sent"
    email.sent_at = email.sent_at or email.created_at
    email.error = None
    opp = session.get(Opportunity, email.opportunity_id)
    opp.emails_sent = Opportunity.emails_sent + 1  # in SQL: concurrent sends never lose one
    opp.last_emailed_at = max(filter(None, [opp.last_emailed_at, email.sent_at]))
