"""A mailbox's daily cap and its warm-up ramp (docs/api.md §15).

The cap on day n after the mailbox's first send (UTC days) is
min(daily_limit, ramp start + ramp step × n); before the first send it is the ramp's
start. Today's sends are the mailbox's emails reserved since UTC midnight that hold a
slot (pending, sent or unknown; a refusal frees it), counted under the site lock by the
send path, so racing sends cannot pass the cap.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Email, Mailbox

# The same as sending.limits.HOLDING_STATES (tests/mailboxes/test_mailboxes_api.py holds
# them equal); mailboxes sit below sending, so they cannot import it.
HOLDING_STATES = ("pending", "sent", "unknown")


def day_start(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)


def next_day(now: datetime) -> datetime:
    return day_start(now) + timedelta(days=1)


def cap_on(mailbox: Mailbox, today: date) -> int:
    days = 0 if mailbox.first_send_on is None else max(0, (today - mailbox.first_send_on).days)
    return max(0, min(mailbox.daily_limit, mailbox.ramp_start + mailbox.ramp_step * days))


def cap_today(mailbox: Mailbox, now: datetime) -> int:
    return cap_on(mailbox, now.astimezone(UTC).date())


def sent_today(session: Session, mailbox_ids: list[int], now: datetime) -> dict[int, int]:
    """Slots each mailbox holds today (0 for those with none)."""
    if not mailbox_ids:
        return {}
    rows = session.execute(
        select(Email.mailbox_id, func.count())
        .where(
            Email.mailbox_id.in_(mailbox_ids),
            Email.created_at >= day_start(now),
            Email.send_state.in_(HOLDING_STATES),
        )
        .group_by(Email.mailbox_id)
    )
    counts = dict.fromkeys(mailbox_ids, 0)
    counts.update({mailbox_id: n for mailbox_id, n in rows})
    return counts
