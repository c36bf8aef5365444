"""docs/api.md §18: the split stays exact when enrolments race (PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from service.domain.experiments import assign
from service.models import Email, Enrollment, SequenceStep
from tests.experiments.conftest import ab_sequence
from tests.support.api import API, create_opp
from tests.support.databases import backend
from tests.support.processes import run_threads, wait_for
from tests.support.signed import SignedHttpClient

pytestmark = pytest.mark.skipif(backend() != "postgres", reason="SQLite serialises writers")


def _turn(session, sequence_id: int, site_id: int):
    step = session.scalar(select(SequenceStep).where(SequenceStep.sequence_id == sequence_id))
    enrollment = Enrollment(sequence_id=sequence_id, site_id=site_id)  # never stored
    return assign.variant_for(session, enrollment, step, datetime.now(UTC))[0]


def _waiting_on_a_lock(session) -> bool:
    """Whether a backend of this database waits for a lock (a fresh transaction each
    time: pg_stat_activity is a snapshot taken once per transaction)."""
    try:
        return bool(
            session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            )
        )
    finally:
        session.rollback()


def test_a_second_turn_waits_for_the_first_ones_commit(app, client):
    """The counter row is locked from the turn to COMMIT: a racing scheduler's turn waits
    and then takes the next one (a plain read would take turn 0 again: 2 x variant 0)."""
    seq = ab_sequence(client, (1, 1))
    site_id = client.get(f"{API}/site").json["id"]
    factory = app.extensions["outreach"].session_factory
    late_turn = []
    with factory() as holder, factory() as late, factory() as watcher:
        assert _turn(holder, seq["id"], site_id) == 0  # turn 0 taken, not committed

        def race():
            late_turn.append(_turn(late, seq["id"], site_id))
            late.commit()

        racer = threading.Thread(target=race)
        racer.start()
        try:
            wait_for(lambda: _waiting_on_a_lock(watcher) or not racer.is_alive(), 30)
        finally:
            holder.commit()  # never leave the racer blocked behind an open transaction
            racer.join(30)
    assert late_turn == [1]


def test_twenty_enrolments_released_together_split_ten_ten(app, live, site_key, client, session):
    client.patch(
        f"{API}/site",
        json={"daily_limit": 1000, "hourly_limit": 1000, "min_spacing_seconds": 0},
    )
    seq = ab_sequence(client, (1, 1))
    cards = [create_opp(client, f"https://r{i}.example/post")["id"] for i in range(20)]
    barrier = threading.Barrier(len(cards))
    statuses = []

    def run(i, card):
        http = SignedHttpClient(live.url, site_key)
        barrier.wait()
        r = http.post(
            f"{API}/opportunities/{card}/sequence",
            json={"sequence_id": seq["id"], "to": f"editor@r{i}.example"},
        )
        statuses.append(r.status_code)

    run_threads(run, list(enumerate(cards)))
    assert statuses == [201] * 20
    assert Counter(session.scalars(select(Email.variant))) == {0: 10, 1: 10}
