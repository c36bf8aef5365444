"""One SendGrid Event Webhook batch, set-based: a handful of statements whatever its size.

Reads the matched emails in one locked query (plain column rows, no ORM objects), inserts
the events with one executemany `INSERT ... ON CONFLICT DO NOTHING RETURNING`, derives the
stamps and status in Python and writes them back with one executemany UPDATE. The effects
are the same as applying each event alone, in any order (see timeline.py).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from service.db.bulk import insert_ignore, is_postgresql, one_of, recordset
from service.domain import events, timeline
from service.domain.cards import counters
from service.domain.deliverability import brake
from service.domain.sending.send_path import CUSTOM_ARG_EMAIL, CUSTOM_ARG_SITE
from service.domain.sequences import stop_rules
from service.models import ID_MAX, Email, EmailEvent, Suppression

KNOWN = {
    "processed",
    "dropped",
    "delivered",
    "deferred",
    "bounce",
    "open",
    "click",
    "spamreport",
    "unsubscribe",
    "group_unsubscribe",
    "group_resubscribe",
}
SUPPRESS = {
    "bounce": "bounced",
    "dropped": "dropped",
    "spamreport": "spamreport",
    "unsubscribe": "unsubscribed",
    "group_unsubscribe": "unsubscribed",
}
# SendGrid's temporary bounce: the address is fine, the receiving server blocked us for now
# (reputation, content, rate); it is recorded and counts for the brake but never suppresses.
SOFT_BOUNCE_TYPES = {"blocked"}
# When one address gathers several reasons, the strongest is kept, whatever the arrival
# order: a drop is usually the echo of an earlier bounce/unsubscribe, a complaint outranks all.
REASON_RANK = {"dropped": 1, "unsubscribed": 2, "bounced": 3, "spamreport": 4}
ENGAGEMENT = {
    "open": "open",
    "click": "click",
    "bounce": "bounce",
    "dropped": "bounce",
    "spamreport": "suppressed",
    "unsubscribe": "suppressed",
    "group_unsubscribe": "suppressed",
}
DETAIL_FIELDS = (
    "url",
    "reason",
    "status",
    "type",
    "response",
    "attempt",
    "useragent",
    "ip",
    "asm_group_id",
    "sg_machine_open",
)
EMAIL_ID_RE = re.compile(r"[0-9]{1,10}")
RESULTS = ("received", "stored", "duplicates", "unknown", "unmatched", "invalid")
# Columns read under the row lock; WRITTEN are the ones a batch may change.
WRITTEN = (
    "smtp_id",
    "send_state",
    "sent_at",
    "error",
    "status",
    "delivered_at",
    "opened_at",
    "clicked_at",
    "bounced_at",
    "replied_at",
)
READ = (
    "id",
    "site_id",
    "opportunity_id",
    "to_normalized",
    "message_id",
    "enrollment_id",
    "created_at",
    *WRITTEN,
)
MAX_TS = 10_000_000_000  # seconds; anything beyond is not a SendGrid timestamp


def occurred_at(value) -> datetime | None:
    """SendGrid's Unix-seconds timestamp as an aware datetime (None when it is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except (ValueError, OverflowError):  # OverflowError: an int of hundreds of digits
        return None
    if not 0 < seconds < MAX_TS:
        return None
    return datetime.fromtimestamp(int(seconds), UTC)


def validate_batch(payload) -> list[dict]:
    """A batch must be a JSON array of objects; anything else is refused (400)."""
    if not isinstance(payload, list) or not all(isinstance(ev, dict) for ev in payload):
        raise ValueError("The Event Webhook body must be a JSON array of event objects.")
    return payload


def ingest(
    session: Session, payload: list[dict], now: datetime, tally: Counter | None = None
) -> dict:
    """Apply one batch in the caller's transaction; return the counts.

    `tally`, when given, gathers {(event type, result): n} for the metrics.
    """
    tally = Counter() if tally is None else tally
    batch = []
    for ev in payload:
        kind = ev.get("event")
        if not isinstance(kind, str) or occurred_at(ev.get("timestamp")) is None:
            tally["other", "invalid"] += 1
        elif kind not in KNOWN:
            tally["other", "unknown"] += 1  # bounded labels whatever callers send
        else:
            batch.append(ev)
    candidates = _rows(batch, _match(session, batch), now, tally)
    # One global order for inserts: concurrent batches then lock rows in the same order.
    candidates.sort(key=lambda c: (c[0]["email_id"], c[0]["event_key"]))
    inserted = set(
        map(
            tuple,
            insert_ignore(
                session,
                EmailEvent,
                [c[0] for c in candidates],
                returning=(EmailEvent.email_id, EmailEvent.event_key),
            ),
        )
    )
    fresh = [c for c in candidates if (c[0]["email_id"], c[0]["event_key"]) in inserted]
    for row, _, _ in candidates:
        stored = (row["email_id"], row["event_key"]) in inserted
        tally[row["type"], "stored" if stored else "duplicate"] += 1
    _apply(session, fresh, now)
    by_result = Counter()
    for (_, result), n in tally.items():
        by_result["duplicates" if result == "duplicate" else result] += n
    return {"received": len(payload), **{k: by_result[k] for k in RESULTS[1:]}}


def _match(session: Session, batch: list[dict]) -> list[dict | None]:
    """Our custom arg first, then the sg_message_id prefix (a second query only if needed)."""
    given = [_email_id(ev) for ev in batch]
    ids = set(given) - {None}
    by_id = _locked(session, one_of(session, Email.id, ids)) if ids else {}
    found, missing = [], []
    for ev, email_id in zip(batch, given, strict=True):
        email = by_id.get(email_id)
        if email is not None:
            site = ev.get(CUSTOM_ARG_SITE)
            if site is not None and str(site) != str(email["site_id"]):
                email = None  # an id of another tenant never matches
        if email is None and isinstance(ev.get("sg_message_id"), str) and ev["sg_message_id"]:
            missing.append(len(found))
        found.append(email)
    if missing:
        prefixes = {batch[n]["sg_message_id"].split(".", 1)[0] for n in missing}
        rows = _locked(session, one_of(session, Email.message_id, prefixes))
        by_mid = {e["message_id"]: by_id.get(i, e) for i, e in rows.items()}
        for n in missing:
            found[n] = by_mid.get(batch[n]["sg_message_id"].split(".", 1)[0])
    return found


def _email_id(ev: dict) -> int | None:
    """Our custom arg as an id that can exist: ASCII digits, within an INTEGER column."""
    raw = str(ev.get(CUSTOM_ARG_EMAIL, ""))
    # str.isdigit() takes "²" and int() refuses 5,000 digits: both were 500s.
    return int(raw) if EMAIL_ID_RE.fullmatch(raw) and int(raw) <= ID_MAX else None


def _locked(session: Session, condition) -> dict[int, dict]:
    """{id: column values} of the matching emails, read under a row lock in id order.

    Concurrent batches for one email then apply one after the other on fresh rows
    (PostgreSQL row locks; SQLite transactions are serialised). FOR NO KEY UPDATE: the
    rows' keys never change, so inserts of events referencing them are not blocked.
    """
    query = (
        select(*(getattr(Email, c) for c in READ))
        .where(condition)
        .order_by(Email.id)
        .with_for_update(key_share=True)
    )
    # Plain rows zipped with the column names: RowMapping's dict() went key by key through
    # the Mapping protocol, a sixth of a 500-event batch's CPU (bench/webhooks.py).
    return {row[0]: dict(zip(READ, row, strict=True)) for row in session.execute(query).all()}


def _detail(ev: dict) -> dict:
    out = {}
    for name in DETAIL_FIELDS:
        value = ev.get(name)
        if value is not None and not isinstance(value, dict | list):
            out[name] = value if isinstance(value, bool | int) else str(value)[:1000]
    return out


def _rows(batch, matched, now, tally) -> list[tuple[dict, dict, dict]]:
    """(event row, email, raw event) for matched events, deduplicated inside the batch."""
    out, seen_ids, seen_keys = [], set(), set()
    for ev, email in zip(batch, matched, strict=True):
        kind = ev["event"]
        if email is None:
            tally[kind, "unmatched"] += 1
            continue
        at = occurred_at(ev["timestamp"])
        machine = kind == "open" and ev.get("sg_machine_open") is True
        extra = "|".join(str(ev.get(f) or "") for f in ("type", "useragent", "ip", "reason"))
        key = timeline.event_key(kind, at, ev.get("url"), f"{extra}|{machine}")
        sg_id = ev.get("sg_event_id") if isinstance(ev.get("sg_event_id"), str) else None
        sg_id = sg_id[:128] if sg_id else None
        if (sg_id and sg_id in seen_ids) or (email["id"], key) in seen_keys:
            tally[kind, "duplicate"] += 1
            continue
        seen_ids.add(sg_id)
        seen_keys.add((email["id"], key))
        out.append(
            (
                timeline.event_row(
                    email["site_id"], email["id"], kind, at, now, _detail(ev), key, sg_id, machine
                ),
                email,
                ev,
            )
        )
    return out


def _apply(session: Session, fresh, now: datetime) -> None:
    """Stamps, status, suppressions, card fields and sequence stops for new events."""
    emails = {email["id"]: email for _, email, _ in fresh}
    before = {email_id: dict(email) for email_id, email in emails.items()}
    suppress, engaged, confirmed, bounced_sites = {}, {}, [], set()
    for row, email, ev in sorted(fresh, key=lambda c: c[0]["occurred_at"]):
        kind, at = row["type"], row["occurred_at"]
        if isinstance(ev.get("smtp-id"), str) and not email["smtp_id"]:
            email["smtp_id"] = ev["smtp-id"][:300]
        if timeline.apply_event(email, kind, at, row["machine_open"]):
            confirmed.append(email)
        if kind == "bounce":
            bounced_sites.add(email["site_id"])
        if kind in SUPPRESS and ev.get("type") not in SOFT_BOUNCE_TYPES:
            key, reason = (email["site_id"], email["to_normalized"]), SUPPRESS[kind]
            if key not in suppress or REASON_RANK[reason] > REASON_RANK[suppress[key][0]]:
                suppress[key] = (reason, email["id"])
        if kind in ENGAGEMENT and not row["machine_open"]:
            engaged.setdefault((email["id"], ENGAGEMENT[kind]), email)
    for email in emails.values():
        email["status"] = timeline.derive_status(email)
    _write_emails(session, [e for i, e in sorted(emails.items()) if e != before[i]], before)
    # A card's email_status can only move when one of its emails' status moved.
    moved = {e["opportunity_id"] for i, e in emails.items() if e["status"] != before[i]["status"]}
    for email in confirmed:  # rare; flushed one by one so two on one card both count
        counters.confirm_sent(
            session, email["site_id"], email["id"], email["opportunity_id"], email["sent_at"], now
        )
        session.flush()
    add_suppressions(session, suppress, now)
    _stop_sequences(session, engaged, now)
    counters.refresh_cards(session, moved)
    brake.judge(session, bounced_sites, now)  # once per site per batch, not per bounce
    if events.wanted(events.EmailBounced):
        _announce_bounces(session, emails, before)


def _announce_bounces(session: Session, emails: dict, before: dict) -> None:
    """EmailBounced for each email this batch bounced first (a repeat announces nothing)."""
    for email_id, email in sorted(emails.items()):
        if email["bounced_at"] is not None and before[email_id]["bounced_at"] is None:
            events.publish(
                session,
                events.EmailBounced,
                site_id=email["site_id"],
                email_id=email_id,
                card_id=email["opportunity_id"],
            )


def _write_emails(session: Session, changed: list[dict], before: dict) -> None:
    """One UPDATE for the changed emails (in id order: a global lock order), setting only
    the columns some of them changed (an open batch moves two of ten: the rest were half
    of the statement's JSON to build and parse)."""
    if not changed:
        return
    table = Email.__table__
    written = [c for c in WRITTEN if any(e[c] != before[e["id"]][c] for e in changed)]
    if is_postgresql(session):
        # One UPDATE ... FROM json_to_recordset(...): the rows are locked already (_locked).
        source, columns = recordset(session, table, changed, ["id", *written])
        session.execute(
            update(table)
            .where(table.c.id == source.c.id)
            .values(dict(zip(written, columns[1:], strict=True)))
        )
    else:
        session.execute(
            update(table).where(table.c.id == bindparam("b_id")),
            [{"b_id": e["id"], **{c: e[c] for c in written}} for e in changed],
        )
    for e in changed:  # an ORM copy in this session would now be stale
        obj = session.identity_map.get(identity_key(Email, e["id"]))
        if obj is not None:
            session.expire(obj)


def _stop_sequences(session: Session, engaged: dict, now: datetime) -> None:
    """Sequence stops through stop_rules.on_engagement, for the emails that can have one.

    Opens and clicks on manual emails never stop anything (stop_rules.stops), so only
    emails with an enrollment, and bounces/suppressions (by address), are loaded as objects.
    """
    wanted = {
        (i, kind)
        for (i, kind), e in engaged.items()
        if kind in stop_rules.ALWAYS or e["enrollment_id"] is not None
    }
    if not wanted:
        return
    loaded = {
        e.id: e for e in session.scalars(select(Email).where(Email.id.in_({i for i, _ in wanted})))
    }
    for email_id, kind in engaged:  # insertion order = occurred_at order
        if (email_id, kind) in wanted:
            stop_rules.on_engagement(session, loaded[email_id], kind, now)


def add_suppressions(session: Session, found: dict, now: datetime) -> None:
    """{(site_id, address): (reason, email_id)} into the suppression list (strongest wins)."""
    rows = [
        {
            "site_id": site_id,
            "email": address,
            "reason": reason,
            "email_id": email_id,
            "created_at": now,
        }
        for (site_id, address), (reason, email_id) in sorted(found.items())
    ]
    if not rows:
        return
    inserted = set(
        map(
            tuple,
            insert_ignore(
                session, Suppression, rows, returning=(Suppression.site_id, Suppression.email)
            ),
        )
    )
    existing = [r for r in rows if (r["site_id"], r["email"]) not in inserted]
    if not existing:
        return
    # An existing entry with a weaker reason is upgraded, never downgraded: one statement.
    table = Suppression.__table__
    rank = case(REASON_RANK, value=table.c.reason, else_=0)
    stmt = (
        update(table)
        .where(
            table.c.site_id == bindparam("b_site"),
            table.c.email == bindparam("b_email"),
            rank < bindparam("b_rank"),
        )
        .values(reason=bindparam("b_reason"), email_id=bindparam("b_email_id"))
    )
    session.execute(
        stmt,
        [
            {
                "b_site": r["site_id"],
                "b_email": r["email"],
                "b_rank": REASON_RANK[r["reason"]],
                "b_reason": r["reason"],
                "b_email_id": r["email_id"],
            }
            for r in existing
        ],
    )
