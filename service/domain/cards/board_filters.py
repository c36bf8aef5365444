"""What a board request asks for besides its cursor: the search, the filters and the sort
(docs/api.md §20), as SQL conditions the whole board, the counts and the deltas share,
and the order a sorted column takes.

Filters are SQL: a card that stops matching leaves the board through a delta's `removed`,
and the counts count what matches. The sort is applied to the answer's columns in Python:
the board reads every matching card anyway, and sorting 5,000 dicts costs a few
milliseconds where an ORDER BY per sort key would need an index per key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import and_, bindparam, exists, func, select

from service.models import Enrollment

SORTS = ("position", "dr", "traffic", "last_contact", "next_step", "created")
NO_EMAIL_YET = "none"  # email_status=none: cards never emailed


@dataclass(frozen=True)
class BoardQuery:
    """One board request's search, filters and sort (all optional)."""

    q: str | None = None
    sort: str = "position"  # one of SORTS, `-` in front for descending
    has_email: bool | None = None
    email_status: str | None = None
    unread: bool | None = None
    link_status: str | None = None
    sequence_id: int | None = None
    project_id: int | None = None  # one project's cards (docs/api.md §19)
    dr_min: int | None = None
    dr_max: int | None = None

    @classmethod
    def of(cls, args: dict) -> BoardQuery:
        """From parsed query arguments (unknown ones, such as `since`, ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in args.items() if k in names and v is not None})

    def key(self) -> str:
        """A canonical text of what was asked (for the ETag); empty for the plain board."""
        parts = [f"{f.name}={getattr(self, f.name)}" for f in fields(self)]
        plain = [f"{f.name}={f.default}" for f in fields(self)]
        return "" if parts == plain else "&".join(parts)

    def shape(self) -> tuple:
        """Which filters are set (and the booleans' values): statements are built once
        per shape, their values left to parameters (params())."""
        return (
            self.has_email,
            self.unread,
            self.email_status == NO_EMAIL_YET,
            *(
                getattr(self, name) is not None
                for name in (
                    "email_status",
                    "link_status",
                    "sequence_id",
                    "dr_min",
                    "dr_max",
                    "project_id",
                )
            ),
        )

    def params(self) -> dict:
        """The bound values of conditions()."""
        return {
            "f_email_status": self.email_status,
            "f_link_status": self.link_status,
            "f_sequence_id": self.sequence_id,
            "f_dr_min": self.dr_min,
            "f_dr_max": self.dr_max,
            "f_project_id": self.project_id,
        }


PLAIN = BoardQuery()


def conditions(cards, shape: tuple) -> list:
    """The filters of a BoardQuery of this shape over the `opportunities` table `cards`."""
    has_email, unread, never_emailed, *given = shape
    status_given, link_given, sequence_given, min_given, max_given, project_given = given
    found = []
    if has_email is not None:
        email = func.coalesce(cards.c.contact_email, "")
        found.append(email != "" if has_email else email == "")
    if unread is not None:
        found.append(cards.c.unread_replies > 0 if unread else cards.c.unread_replies == 0)
    if never_emailed:
        found.append(cards.c.email_status.is_(None))
    elif status_given:
        found.append(cards.c.email_status == bindparam("f_email_status"))
    if link_given:
        found.append(cards.c.link_status == bindparam("f_link_status"))
    if sequence_given:
        found.append(_in_sequence(cards))
    if min_given:
        found.append(cards.c.dr >= bindparam("f_dr_min"))
    if max_given:
        found.append(cards.c.dr <= bindparam("f_dr_max"))
    if project_given:
        found.append(cards.c.project_id == bindparam("f_project_id"))
    return found


def _in_sequence(cards):
    """The card's active or latest enrollment (the one it shows) is in the sequence."""
    enrollment, newer = Enrollment.__table__, Enrollment.__table__.alias("newer_enrollment")
    superseded = exists().where(
        newer.c.opportunity_id == enrollment.c.opportunity_id, newer.c.id > enrollment.c.id
    )
    return cards.c.id.in_(
        select(enrollment.c.opportunity_id).where(
            and_(enrollment.c.sequence_id == bindparam("f_sequence_id"), ~superseded)
        )
    )


def sort_columns(columns: dict[str, list], sort: str) -> None:
    """Order each column's cards by `sort` (cards without a value last, either way; ties
    in board order). The position order is the one they came in."""
    name = sort.lstrip("-")
    if name == "position":
        return
    value = KEYS[name]
    for status, cards in columns.items():
        known = [c for c in cards if value(c) is not None]
        known.sort(key=value, reverse=sort.startswith("-"))  # stable: ties keep board order
        columns[status] = known + [c for c in cards if value(c) is None]


def _utc(at) -> datetime | None:
    """A datetime as naive UTC (board rows are naive UTC, sequence summaries aware)."""
    if at is None or at.tzinfo is None:
        return at
    return at.astimezone(UTC).replace(tzinfo=None)


def _next_step(card: dict):
    """The earlier of its next scheduled email and its sequence's next step."""
    sequence = card.get("sequence") or {}
    step = _utc(sequence.get("next_step_at")) if sequence.get("status") == "active" else None
    times = [t for t in (_utc(card.get("next_send_at")), step) if t is not None]
    return min(times) if times else None


KEYS = {
    "dr": lambda card: card["metrics"]["dr"],
    "traffic": lambda card: card["metrics"]["traffic"],
    "last_contact": lambda card: _utc(card["last_emailed_at"]),
    "next_step": _next_step,
    "created": lambda card: _utc(card["created_at"]),
}
