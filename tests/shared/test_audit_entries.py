"""Audit trail: every write records the acting WordPress user and what changed."""

from __future__ import annotations

from sqlalchemy import select

from service.models import AuditEntry
from tests.support.api import API, create_opp, create_template
from tests.support.signed import SignedTestClient


def _entries(session):
    """Audit rows as detached values; the read transaction ends at once (SQLite's
    BEGIN IMMEDIATE would otherwise hold the write lock against the app)."""
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    session.expunge_all()
    session.rollback()
    return rows


def test_every_core_write_is_audited_with_the_acting_user(app, site_key, clock, session):
    client = SignedTestClient(app.test_client(), site_key, clock, user=42)
    opp = create_opp(client)
    oid = opp["id"]
    assert client.patch(f"{API}/opportunities/{oid}", json={"anchor_text": "a"}).status_code == 200
    assert client.post(f"{API}/opportunities/{oid}/move", json={"status": "won"}).status_code == 200
    assert client.put(f"{API}/opportunities/{oid}/notes", json={"notes": "n"}).status_code == 200
    tpl = create_template(client)
    assert client.patch(f"{API}/templates/{tpl['id']}", json={"name": "B"}).status_code == 200
    assert client.delete(f"{API}/templates/{tpl['id']}").status_code == 204
    assert client.patch(f"{API}/site", json={"daily_limit": 5}).status_code == 200
    assert client.delete(f"{API}/opportunities/{oid}").status_code == 204
    entries = _entries(session)
    assert [e.action for e in entries] == [
        "opportunity.create",
        "opportunity.update",
        "opportunity.move",
        "opportunity.notes",
        "template.create",
        "template.update",
        "template.delete",
        "site.update",
        "opportunity.delete",
    ]
    assert {e.user_id for e in entries} == {42}
    assert {e.site_id for e in entries} == {site_key.site_id}
    by_action = {e.action: e for e in entries}
    assert by_action["opportunity.update"].changes == {"anchor_text": [None, "a"]}
    assert by_action["opportunity.move"].changes["status"] == ["new", "won"]
    assert by_action["site.update"].changes == {"daily_limit": [100, 5]}
    assert by_action["opportunity.create"].resource_id == str(oid)
    assert all(e.created_at is not None for e in entries)


def test_system_user_zero(app, site_key, clock, session):
    create_opp(SignedTestClient(app.test_client(), site_key, clock, user=0))
    assert [e.user_id for e in _entries(session)] == [0]


def test_refused_writes_leave_no_audit_entry(client, viewer, session):
    opp = create_opp(client)
    before = len(_entries(session))
    viewer.patch(f"{API}/opportunities/{opp['id']}", json={"notes": "x"})
    client.post(f"{API}/opportunities", json={"source_url": opp["source_url"]})  # 409
    client.post(f"{API}/opportunities", json={"source_url": "nope"})  # 422
    client.post(f"{API}/templates", json={"name": "x", "subject": "s", "body": "{{bad}}"})
    client.patch(f"{API}/site", json={"daily_limit": -1})
    assert len(_entries(session)) == before


def test_noop_patch_records_nothing(client, session):
    opp = create_opp(client, anchor_text="same")
    before = len(_entries(session))
    client.patch(f"{API}/opportunities/{opp['id']}", json={"anchor_text": "same"})
    client.patch(f"{API}/site", json={"daily_limit": 100})
    assert len(_entries(session)) == before
