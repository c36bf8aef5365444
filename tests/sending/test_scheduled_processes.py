"""Scheduled sends with real scheduler processes: two racing, and SIGKILL mid-pass."""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from service.db import make_session_factory
from service.models import Email
from tests.sequences import procs
from tests.support.databases import wipe
from tests.support.processes import stop, wait_for
from tests.support.state import race_site, saved_cards


def arrange_scheduled(engine, count: int) -> None:
    """A site with `count` cards, each with one scheduled email due now."""
    now = datetime.now(UTC)
    with make_session_factory(engine)() as s:
        site = race_site(s, now)
        opps = saved_cards(s, site.id, count, "s", now, status="queued")
        s.add_all(
            Email(
                site_id=site.id,
                opportunity_id=o.id,
                to_email=f"editor{i}@s{i}.example",
                to_normalized=f"editor{i}@s{i}.example",
                subject="Hello",
                text_body="Hi",
                html_body="<p>Hi</p>",
                reply_token=secrets.token_urlsafe(18),
                send_state="scheduled",
                scheduled_for=now - timedelta(seconds=1),
                created_by=0,
                created_at=now - timedelta(hours=1),
            )
            for i, o in enumerate(opps)
        )
        s.commit()


def states(engine) -> Counter:
    with make_session_factory(procs.reader(engine))() as s:
        return Counter(s.scalars(select(Email.send_state)))


def ids_in(engine, state: str) -> set[int]:
    with make_session_factory(procs.reader(engine))() as s:
        return set(s.scalars(select(Email.id).where(Email.send_state == state)))


@pytest.fixture
def spawn(database_url, sendgrid, tmp_path, engine):
    started = []

    def start(**env):
        proc = procs.start_scheduler(
            procs.scheduler_env(database_url, sendgrid.host, tmp_path, **env),
            tmp_path / f"scheduler-{len(started)}.log",
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        stop(proc)
    wipe(engine)


def _at_most_once(sendgrid) -> Counter:
    got = Counter(int(a["outreach_email_id"]) for a in sendgrid.custom_args())
    assert not [i for i, n in got.items() if n > 1], "a scheduled email went out twice"
    return got


def test_two_processes_send_each_scheduled_email_exactly_once(engine, sendgrid, spawn, tmp_path):
    count = 60
    # Both racing before anything falls due: on a busy machine the first process once sent
    # all 60 while the second was still importing, and SIGTERM then met it before it had
    # installed its handler (exit -15), a test of nothing.
    racers = [spawn(OUTREACH_LOG_LEVEL="INFO"), spawn(OUTREACH_LOG_LEVEL="INFO")]
    wait_for(lambda: procs.running(tmp_path.glob("scheduler-*.log"), "scheduled-sends") == 2, 60)
    arrange_scheduled(engine, count)
    wait_for(lambda: states(engine) == {"sent": count}, 90)
    for proc in racers:
        stop(proc)
        assert proc.returncode == 0
    got = _at_most_once(sendgrid)
    assert set(got) == ids_in(engine, "sent") and len(sendgrid.messages) == count


@pytest.mark.parametrize("point,sendgrid_has_it", [("reserved", False), ("accepted", True)])
def test_sigkill_mid_send_then_restart_never_twice(engine, sendgrid, spawn, point, sendgrid_has_it):
    count = 30
    arrange_scheduled(engine, count)
    # A pool of 8: its third chunk comes while earlier ones are in flight (the default
    # pool of 32 would take all 30 in its first).
    victim = spawn(OUTREACH_SCHEDULER_FAULT=f"{point}:3", OUTREACH_SCHEDULER_CONCURRENCY=8)
    wait_for(lambda: victim.poll() is not None, 60)
    assert victim.returncode == -9
    in_flight = ids_in(engine, "pending")
    assert in_flight
    with make_session_factory(engine)() as s:  # time passing: leases and pending rows age
        past = datetime(2000, 1, 1, tzinfo=UTC)
        s.execute(update(Email).where(Email.send_state == "pending").values(created_at=past))
        s.execute(update(Email).values(lease_until=None))
        s.commit()
    spawn()
    wait_for(lambda: set(states(engine)) <= {"sent", "unknown"}, 90)
    got = _at_most_once(sendgrid)
    assert ids_in(engine, "unknown") == in_flight  # never resent
    assert len(ids_in(engine, "sent")) == count - len(in_flight)
    if sendgrid_has_it:
        assert in_flight & set(got)
    else:
        assert in_flight - set(got)
