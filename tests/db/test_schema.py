"""The Alembic migration and the models describe the same schema; big WordPress ids fit."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.db import Base


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == [], f"models and migrations differ: {diffs}"


def test_a_64_bit_wordpress_user_id_is_recorded(client, session):
    from service.models import AuditEntry

    big = 2**40 + 7
    r = client.post("/api/v1/opportunities", json={"source_url": "https://big.example/p"}, user=big)
    assert r.status_code == 201, r.json
    assert session.query(AuditEntry.user_id).filter_by(action="opportunity.create").scalar() == big


def test_a_user_id_past_64_bits_is_refused_as_malformed(client):
    r = client.get("/api/v1/board", user=10**19)
    assert r.status_code == 401 and "X-Outreach-User" in r.json["message"]


def test_datetimes_are_stored_as_utc_and_read_back_aware(engine):
    """UTCDateTime: any offset in, the same instant out as aware UTC (on PostgreSQL through
    its own result processor); None stays None."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy import Column, Integer, MetaData, Table, insert, select

    from service.db.engine import UTCDateTime

    table = Table("utc_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", UTCDateTime, nullable=True))  # fmt: skip
    kyiv = datetime(2026, 12, 7, 11, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    try:
        with engine.begin() as conn:
            table.create(conn)
            conn.execute(insert(table), [{"id": 1, "at": kyiv}, {"id": 2, "at": None}])
        with engine.connect() as conn:
            got = dict(conn.execute(select(table.c.id, table.c.at)).all())
    finally:
        with engine.begin() as conn:
            table.drop(conn)
    assert got[1] == kyiv and got[1].tzinfo is UTC and got[1].hour == 9
    assert got[2] is None
