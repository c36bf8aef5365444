"""Fixtures for sequences: a SendGrid stub on a real socket, API helpers, one scheduler pass."""
from __future__ import annotations

import pytest

from service.app import create_app
from service.worker.scheduler import Scheduler
from tests.sequences.sendgrid_stub import SendGridStub
from tests.support.databases import wipe


@pytest.fixture
def sendgrid():
    stub = SendGridStub().start()
    yield stub
    stub.stop()


@pytest.fixture
def app(engine, database_url, clock, tmp_path, sendgrid):
    """The app sending through the real SendGrid adapter to the stub; unsigned webhooks on."""
    application = create_app({
        "TESTING": True, "DATABASE_URL": database_url, "ENGINE": engine, "CLOCK": clock,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "OUTBOX_PATH": str(tmp_path / "outbox.jsonl"), "SCHEDULER_ENABLED": False,
        "SENDGRID_API_KEY": "SG.test", "SENDGRID_API_HOST": sendgrid.url,
        "SENDGRID_TIMEOUT": 5, "SENDGRID_WEBHOOK_PUBLIC_KEY": None,
        "ALLOW_UNSIGNED_WEBHOOKS": True, "INBOUND_TOKEN": None, "INBOUND_DOMAIN": None,
    })
    yield application
    wipe(engine)


@pytest.fixture
def scheduler(app):
    """One scheduler worker of this test process (run .run_pass() by hand)."""
    return Scheduler(app, owner="test-scheduler")


def make_template(client, name="Intro", subject="Hi {{domain}}", body="See {{url}}") -> int:
    r = client.post("/api/v1/templates", json={"name": name, "subject": subject, "body": body})
    assert r.status_code == 201, r.json
    return r.json["id"]


def make_opportunity(client, url="https://blog.example.org/post", **extra) -> int:
    r = client.post("/api/v1/opportunities", json={"source_url": url, **extra})
    assert r.status_code == 201, r.json
    return r.json["id"]


def make_sequence(client, template_ids, name="Drip", **step_extra) -> dict:
    steps = [{"template_id": t, **step_extra} for t in template_ids]
    r = client.post("/api/v1/sequences", json={"name": name, "steps": steps})
    assert r.status_code == 201, r.json
    return r.json


def enroll(client, opportunity_id, sequence_id, to="editor@blog.example.org"):
    return client.post(f"/api/v1/opportunities/{opportunity_id}/sequence",
                       json={"sequence_id": sequence_id, "to": to})


def settings(client, **values):
    r = client.patch("/api/v1/site", json=values)
    assert r.status_code == 200, r.json


@pytest.fixture
def templates3(client) -> list[int]:
    return [make_template(client, f"T{i}", f"Step {i} for {{{{domain}}}}", f"Body {i} {{{{url}}}}")
            for i in (1, 2, 3)]


@pytest.fixture
def started(client, templates3):
    """An opportunity enrolled in a 3-step sequence (72 h delays); step 1 already sent."""
    opp = make_opportunity(client)
    seq = make_sequence(client, templates3)
    r = enroll(client, opp, seq["id"])
    assert r.status_code == 201, r.json
    return {"opp": opp, "seq": seq, "enrollment": r.json}


# SQLite opens every transaction with BEGIN IMMEDIATE: a test's inspecting session must end
# its transaction at once, or the next request waits for the write lock.
def scalar(session, stmt):
    """One value, transaction ended."""
    try:
        return session.scalar(stmt)
    finally:
        session.rollback()


def rows(session, stmt) -> list:
    """Detached ORM rows, transaction ended."""
    try:
        found = list(session.scalars(stmt))
        session.expunge_all()
        return found
    finally:
        session.rollback()


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
