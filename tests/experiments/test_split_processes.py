"""docs/api.md §18: scheduler processes racing over an A/B-tested step still split it
exactly (PostgreSQL: the turn counter's row lock across processes)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from service.db import make_session_factory
from service.domain.experiments import assign
from service.models import Email, Enrollment, Sequence, SequenceStep
from tests.sequences import procs
from tests.support.databases import backend, wipe
from tests.support.processes import stop, wait_for

pytestmark = pytest.mark.skipif(backend() != "postgres", reason="SQLite serialises writers")

COUNT = 60


def _arrange_waiting(engine) -> None:
    """COUNT enrollments of a one-step sequence whose step tests two variants 1:1, due
    in a day (nothing claims them yet)."""
    procs.arrange_due(engine, COUNT, steps=1)
    with make_session_factory(engine)() as s:
        step = s.scalar(select(SequenceStep))
        step.variants = [{"template_id": step.template_id, "weight": 1}] * 2
        s.flush()
        assign.sync(s, s.get(Sequence, step.sequence_id))
        later = datetime.now(UTC) + timedelta(days=1)
        s.execute(update(Enrollment).values(next_step_at=later))
        s.commit()


def test_racing_scheduler_processes_split_exactly(engine, database_url, sendgrid, tmp_path):
    _arrange_waiting(engine)
    logs = [tmp_path / f"scheduler-{i}.log" for i in range(2)]
    env = procs.scheduler_env(database_url, sendgrid.host, tmp_path, OUTREACH_LOG_LEVEL="INFO")
    racers = [procs.start_scheduler(env, log) for log in logs]
    try:
        wait_for(lambda: procs.running(logs, "sequence-steps") == len(logs), 60)
        with make_session_factory(engine)() as s:  # due now, for both at once
            s.execute(update(Enrollment).values(next_step_at=datetime.now(UTC)))
            s.commit()
        wait_for(lambda: procs.unfinished(engine) == 0, 120)
    finally:
        for proc in racers:
            stop(proc)
    with make_session_factory(engine)() as s:
        assert Counter(s.scalars(select(Email.variant))) == {0: COUNT // 2, 1: COUNT // 2}
    wipe(engine)
