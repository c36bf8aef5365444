"""docs/api.md §18: auto_winner — once decided, later enrolments get the leader; the
switch is audited and shown."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from service.models import AuditEntry, Email
from tests.experiments.conftest import ab_sequence, enrol_cards
from tests.experiments.test_results import by_variant, experiments, reply


def _decide_for_b(client, sendgrid, live, session, **step):
    seq = ab_sequence(client, (1, 1), min_sends=10, **step)
    enrol_cards(client, seq["id"], 20)
    for email in by_variant(session, 1)[:8]:
        reply(sendgrid, live, email, text="Yes please.")
    return seq


def test_once_decided_later_enrolments_get_the_leader(client, roomy, sendgrid, live, session):
    seq = _decide_for_b(client, sendgrid, live, session, auto_winner=True)
    before = experiments(client, seq["id"])["steps"][0]
    assert before["verdict"]["decided"] and before["winner"] is None  # not yet switched
    enrol_cards(client, seq["id"], 6, first=20)
    assert Counter(session.scalars(select(Email.variant))) == {0: 10, 1: 16}
    session.rollback()
    after = experiments(client, seq["id"])["steps"][0]
    assert after["winner"] == 1 and after["winner_at"]
    [entry] = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "experiment.winner")
    ).all()
    assert entry.resource_id == str(seq["id"]) and entry.user_id == 0
    assert entry.changes["variant"] == 1 and entry.changes["position"] == 1
    assert entry.changes["confidence"] > 0.95


def test_without_auto_winner_the_split_goes_on(client, roomy, sendgrid, live, session):
    seq = _decide_for_b(client, sendgrid, live, session)
    enrol_cards(client, seq["id"], 6, first=20)
    assert Counter(session.scalars(select(Email.variant))) == {0: 13, 1: 13}
    session.rollback()
    assert experiments(client, seq["id"])["steps"][0]["winner"] is None


def test_an_undecided_step_keeps_splitting(client, roomy, sendgrid, live, session):
    seq = ab_sequence(client, (1, 1), min_sends=100, auto_winner=True)
    enrol_cards(client, seq["id"], 20)
    for email in by_variant(session, 1)[:8]:
        reply(sendgrid, live, email, text="Yes please.")
    enrol_cards(client, seq["id"], 4, first=20)
    assert Counter(session.scalars(select(Email.variant))) == {0: 12, 1: 12}
