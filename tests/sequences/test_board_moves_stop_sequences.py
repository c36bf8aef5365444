"""Board effects on sequences (docs/sequences.md): `sequence` on cards, won and delete stop it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.models import Enrollment, Sequence
from tests.support.api import API, create_opp, create_template


@pytest.fixture
def enrolled(client, session, site_key, clock):
    """An opportunity with an active enrollment (arranged directly in the database)."""
    opp = create_opp(client, contact_email="ed@blog.example.org")
    tpl = create_template(client)
    now = clock.now()
    seq = Sequence(site_id=site_key.site_id, name="Follow-ups", created_at=now, updated_at=now)
    session.add(seq)
    session.flush()
    enrollment = Enrollment(
        site_id=site_key.site_id,
        sequence_id=seq.id,
        opportunity_id=opp["id"],
        to_email="ed@blog.example.org",
        status="active",
        current_step=1,
        next_step_at=now + timedelta(hours=72),
        created_at=now,
        updated_at=now,
    )
    session.add(enrollment)
    session.commit()
    return {"opp": opp, "enrollment_id": enrollment.id, "sequence_id": seq.id, "template": tpl}


def _enrollment(session, enrollment_id):
    row = session.scalar(select(Enrollment).where(Enrollment.id == enrollment_id))
    values = (row.status, row.stop_reason, row.next_step_at)
    session.rollback()
    return values


def test_card_shows_its_sequence(client, enrolled):
    card = client.get(f"{API}/opportunities/{enrolled['opp']['id']}").json
    seq = card["sequence"]
    assert seq["id"] == enrolled["enrollment_id"]
    assert seq["sequence_id"] == enrolled["sequence_id"]
    assert seq["name"] == "Follow-ups" and seq["status"] == "active"
    assert seq["next_step_at"] is not None
    board = client.get(f"{API}/board").json
    assert board["columns"]["new"][0]["sequence"]["id"] == enrolled["enrollment_id"]
    page = client.get(f"{API}/opportunities").json
    assert page["items"][0]["sequence"]["name"] == "Follow-ups"


@pytest.mark.parametrize("status", ["queued", "reached"])
def test_other_moves_keep_the_sequence(client, session, enrolled, status):
    client.post(f"{API}/opportunities/{enrolled['opp']['id']}/move", json={"status": status})
    assert _enrollment(session, enrolled["enrollment_id"])[0] == "active"


def test_moving_to_won_stops_the_sequence(client, session, enrolled):
    r = client.post(f"{API}/opportunities/{enrolled['opp']['id']}/move", json={"status": "won"})
    assert r.status_code == 200
    assert r.json["sequence"]["status"] == "stopped"
    status, reason, next_at = _enrollment(session, enrolled["enrollment_id"])
    assert (status, reason, next_at) == ("stopped", "won", None)


def test_patch_status_won_stops_the_sequence(client, session, enrolled):
    client.patch(f"{API}/opportunities/{enrolled['opp']['id']}", json={"status": "won"})
    assert _enrollment(session, enrolled["enrollment_id"])[:2] == ("stopped", "won")


def test_delete_stops_the_sequence(client, session, enrolled):
    assert client.delete(f"{API}/opportunities/{enrolled['opp']['id']}").status_code == 204
    assert _enrollment(session, enrolled["enrollment_id"])[:2] == ("stopped", "deleted")


def test_other_site_sees_no_sequence(other_client, enrolled):
    assert other_client.get(f"{API}/board").json["counts"]["new"] == 0
