"""Arranging and reading the database directly, each in a short transaction.

SQLite opens every transaction with BEGIN IMMEDIATE: a test's session must end its
transaction at once, or the next request waits for the write lock.
"""

from __future__ import annotations

import os

from sqlalchemy import select

from service.domain import sites
from service.models import Opportunity, Site
from tests.support.signed import SiteKey


def make_site(
    app, name="Site A", url="https://a.example", daily_limit=100, min_spacing_seconds=0
) -> SiteKey:
    """Register a site with one key, as the CLI would; unpaced unless a test asks (its
    sends go as fast as the limits allow: the queue's own tests set the spacing)."""
    rt = app.extensions["outreach"]
    with rt.session_factory() as s:
        site, key_id, secret = sites.create_site(
            s, rt.secret_box, name, url, rt.clock.now(), daily_limit,
            min_spacing_seconds=min_spacing_seconds,
        )  # fmt: skip
        s.commit()
        return SiteKey(site.id, key_id, secret)


def race_site(session, now, min_spacing_seconds: int = 0) -> Site:
    """The site of a test whose sending OS processes race, under the run's key
    (key_checks): no daily cap to speak of, no cooldown, unpaced unless told."""
    box = sites.SecretBox(os.environ["OUTREACH_SECRET_KEY"])
    site, _, _ = sites.create_site(
        session, box, "Race", "https://race.example", now, 1_000_000,
        min_spacing_seconds=min_spacing_seconds,
    )  # fmt: skip
    site.cooldown_hours = 0
    return site


def saved_cards(session, site_id: int, count: int, tag: str, now, **fields) -> list[Opportunity]:
    """`new_cards`, added and flushed (their ids known)."""
    cards = new_cards(site_id, count, tag, now, **fields)
    session.add_all(cards)
    session.flush()
    return cards


def new_cards(
    site_id: int, count: int, tag: str, now, status: str = "new", tld: str = "example", **fields
) -> list[Opportunity]:
    """`count` unsaved cards of one site in position order, card i on `{tag}{i}.{tld}`."""
    return [
        Opportunity(
            site_id=site_id,
            status=status,
            source_url=f"https://{tag}{i}.{tld}/",
            domain=f"{tag}{i}.{tld}",
            position=i,
            dedupe_key=f"{tag}-{i}",
            created_at=now,
            updated_at=now,
            status_changed_at=now,
            **fields,
        )
        for i in range(count)
    ]


def set_site(app, site_id, **values) -> None:
    """Change a site's settings directly."""
    with app.extensions["outreach"].session_factory() as s:
        site = s.get(Site, site_id)
        for name, value in values.items():
            setattr(site, name, value)
        s.commit()


def scalar(session, stmt):
    """One value, transaction ended."""
    try:
        return session.scalar(stmt)
    finally:
        session.rollback()


def select_rows(session, stmt) -> list:
    """Detached (but loaded) rows of a query, transaction ended."""
    try:
        found = list(session.scalars(stmt))
        session.expunge_all()
        return found
    finally:
        session.rollback()


def rows(app, model, *where, order_by=None) -> list:
    """Detached rows of one table, in id order unless told, read in a fresh session."""
    with app.extensions["outreach"].session_factory() as s:
        order = order_by if order_by is not None else model.id
        return select_rows(s, select(model).where(*where).order_by(order))


def fetch(session, model, ident):
    """One detached row by primary key, freshly loaded, transaction ended."""
    session.expire_all()
    try:
        found = session.get(model, ident)
        if found is not None:
            session.expunge(found)
        return found
    finally:
        session.rollback()
