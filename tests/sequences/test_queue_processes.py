"""The spacing holds across real scheduler processes (docs/api.md §20): due steps of one
site go one spacing apart, each exactly once, whichever process sends it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.db import make_session_factory
from service.models import Email
from tests.sequences import procs
from tests.support.databases import wipe
from tests.support.processes import stop, wait_for

COUNT, SPACING = 8, 1


@pytest.fixture
def racers(engine, database_url, sendgrid, tmp_path):
    """Two `outreach scheduler` processes running the sequence-steps kind."""
    env = procs.scheduler_env(database_url, sendgrid.host, tmp_path, OUTREACH_LOG_LEVEL="INFO")
    started = [procs.start_scheduler(env, tmp_path / f"scheduler-{i}.log") for i in (1, 2)]

    logs = [(tmp_path / f"scheduler-{i}.log") for i in (1, 2)]
    wait_for(lambda: procs.running(logs, "sequence-steps") == len(logs), 60)
    yield started
    for proc in started:
        stop(proc)
    wipe(engine)


def test_two_processes_keep_the_spacing_and_send_each_step_once(engine, sendgrid, racers):
    procs.arrange_due(engine, COUNT, steps=1, min_spacing_seconds=SPACING)
    wait_for(lambda: procs.unfinished(engine) == 0, 60 + 4 * COUNT * SPACING)
    assert all(p.poll() is None for p in racers), "a scheduler process died"
    assert procs.assert_exactly_once(engine, sendgrid, COUNT, 1) == {"sent": COUNT}
    with make_session_factory(procs.reader(engine))() as s:
        times = sorted(s.scalars(select(Email.created_at)))
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= timedelta(seconds=SPACING), gaps
