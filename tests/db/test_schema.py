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
