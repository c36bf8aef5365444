"""Real scheduler processes: two of them deliver each event once; one killed between a
POST and its record makes at most one re-send, with the same webhook-id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from service.db import make_session_factory
from service.models import WebhookEndpoint
from tests.outbound_hooks.conftest import add_hook
from tests.outbound_hooks.support import KIND, deliveries, run_pass, scheduler_env
from tests.reliability.faults import FaultPoint
from tests.sequences.procs import reader, start_scheduler
from tests.support.api import create_opp
from tests.support.processes import stop, wait_for

ROOT = Path(__file__).resolve().parents[2]


def _undelivered(engine) -> int:
    return sum(d.state != "delivered" for d in deliveries(reader(engine)))


@pytest.mark.skipif(
    os.environ.get("OUTREACH_TEST_DB", "sqlite") != "postgres",
    reason="racing processes: PostgreSQL (SQLite serialises every writer)",
)
def test_two_scheduler_processes_deliver_each_event_once(
    client, receiver, engine, database_url, tmp_path
):
    names = [f"r{i}" for i in range(4)]
    for name in names:
        add_hook(client, receiver.plan(name), ["opportunity.created"])
    cards = [create_opp(client, f"https://race{i}.example/")["id"] for i in range(40)]
    procs = [
        start_scheduler(scheduler_env(database_url, tmp_path / f"s{i}"), tmp_path / f"s{i}.log")
        for i in range(2)
    ]
    try:
        wait_for(
            lambda: _undelivered(engine) == 0,
            120,
            why=lambda: "\n".join((tmp_path / f"s{i}.log").read_text() for i in range(2)),
        )
    finally:
        for proc in procs:
            stop(proc)
    for name in names:
        got = receiver.at(name)
        assert Counter(r.webhook_id for r in got).most_common(1)[0][1] == 1
        assert sorted(r.json()["data"]["id"] for r in got) == cards


def test_killed_between_post_and_record_resends_at_most_once(
    app, client, receiver, engine, database_url, tmp_path
):
    hook = add_hook(client, receiver.plan("crash"), ["opportunity.created"])
    create_opp(client)
    point = FaultPoint(tmp_path, "webhook_delivery.sent")
    point.arm()
    code = (
        "from service.app import create_app\n"
        "from service.worker.scheduler import Scheduler\n"
        f"Scheduler(create_app(), owner='doomed', kind={KIND!r}).run_pass()\n"
    )
    env = scheduler_env(database_url, tmp_path / "doomed", OUTREACH_FAULT_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        pid = point.wait_reached(60)
        os.kill(pid, signal.SIGKILL)  # the POST was answered; its record never happens
        proc.wait(30)
    finally:
        point.release()
        stop(proc)
    (first,) = receiver.at("crash")
    with make_session_factory(engine)() as s:  # the lease would expire in its time
        s.execute(update(WebhookEndpoint).values(lease_until=datetime(2000, 1, 1, tzinfo=UTC)))
        s.commit()
    assert run_pass(app) == {"delivered": 1}
    assert run_pass(app) == {}
    posts = receiver.at("crash")
    assert len(posts) == 2 and {p.webhook_id for p in posts} == {first.webhook_id}
    (delivery,) = deliveries(engine)
    assert delivery.state == "delivered" and delivery.attempts == 1
    assert [p.verified(hook["secret"])["type"] for p in posts] == ["opportunity.created"] * 2
