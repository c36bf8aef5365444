"""docs/api.md §18: step variants and the balanced, deterministic split."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import event, select

from service.domain.experiments.split import variant_for_turn
from service.models import Email
from tests.experiments.conftest import ab_sequence, enrol_cards
from tests.support.api import API, create_template


@pytest.mark.parametrize(
    ("weights", "turns", "expected"),
    [((1, 1), 20, [10, 10]), ((3, 1), 40, [30, 10]), ((1, 2, 2), 50, [10, 20, 20])],
)
def test_every_full_cycle_is_split_exactly_by_the_weights(weights, turns, expected):
    split = Counter(variant_for_turn(list(weights), n) for n in range(turns))
    assert [split[i] for i in range(len(weights))] == expected


def test_a_heavier_variant_is_spread_out_not_bunched():
    assert [variant_for_turn([3, 1], n) for n in range(8)] == [0, 0, 1, 0, 0, 0, 1, 0]


def test_a_step_with_variants_round_trips(client):
    seq = ab_sequence(client, (3, 1), auto_winner=True, min_sends=50)
    step = seq["steps"][0]
    assert step["template_id"] == step["variants"][0]["template_id"]
    assert [v["weight"] for v in step["variants"]] == [3, 1]
    assert (step["auto_winner"], step["min_sends"]) == (True, 50)


@pytest.mark.parametrize(
    "step",
    [
        {"variants": [{"template_id": 1}]},  # one variant is no test
        {"variants": [{"template_id": 1}] * 6},  # more than five
        {"variants": [{"template_id": 1, "weight": 0}, {"template_id": 1}]},
        {"template_id": 999, "variants": [{"template_id": 1}, {"template_id": 1}]},
        {"delay_hours": 1},  # neither a template nor variants
    ],
)
def test_bad_variants_are_a_422_and_change_nothing(client, step):
    t = create_template(client)["id"]
    for v in step.get("variants", []):
        v["template_id"] = v["template_id"] if v["template_id"] != 1 else t
    r = client.post(f"{API}/sequences", json={"name": "Bad", "steps": [step]})
    assert r.status_code == 422, r.json
    assert client.get(f"{API}/sequences").json == []


def test_a_variant_of_another_sites_template_is_a_422(client, other_client):
    mine = create_template(client)["id"]
    theirs = create_template(other_client)["id"]
    variants = [{"template_id": mine}, {"template_id": theirs}]
    r = client.post(f"{API}/sequences", json={"name": "X", "steps": [{"variants": variants}]})
    assert r.status_code == 422, r.json


@pytest.mark.parametrize(("weights", "count", "expected"), [((1, 1), 20, [10, 10])])
def test_enrolments_are_split_exactly_and_each_email_says_its_variant(
    client, roomy, sendgrid, session, weights, count, expected
):
    seq = ab_sequence(client, weights)
    enrol_cards(client, seq["id"], count)
    rows = session.execute(select(Email.variant, Email.template_id, Email.subject)).all()
    split = Counter(r.variant for r in rows)
    assert [split[i] for i in range(len(weights))] == expected
    templates = [v["template_id"] for v in seq["steps"][0]["variants"]]
    assert all(r.template_id == templates[r.variant] for r in rows)
    assert all(r.subject.startswith(f"Subject {r.variant} ") for r in rows)


def test_three_to_one_over_forty_enrolments_is_thirty_to_ten(client, roomy, sendgrid, session):
    seq = ab_sequence(client, (3, 1))
    enrol_cards(client, seq["id"], 40)
    assert Counter(session.scalars(select(Email.variant))) == {0: 30, 1: 10}


def test_editing_the_variants_restarts_the_split(client, roomy, sendgrid, session):
    seq = ab_sequence(client, (1, 1))
    enrol_cards(client, seq["id"], 1)  # variant 0 took turn 0
    step = seq["steps"][0]
    step["variants"][1]["weight"] = 2
    r = client.patch(f"{API}/sequences/{seq['id']}", json={"steps": [step]})
    assert r.status_code == 200, r.json
    assert r.json["steps"][0]["variants"][1]["weight"] == 2
    enrolled = enrol_cards(client, seq["id"], 1, first=1)[0]
    # Turn 0 of 1:2 is variant 1; a counter that went on (turn 1) would give variant 0.
    email = session.scalar(select(Email).where(Email.enrollment_id == enrolled["id"]))
    assert email.variant == 1


def test_the_scheduler_splits_a_follow_up_step(app, client, roomy, sendgrid, session, clock):
    from service.worker.scheduler import Scheduler

    first = create_template(client, "First", "Hi {{domain}}", "Hello")["id"]
    a, b = (create_template(client, f"F{i}", f"Follow {i}", "Again")["id"] for i in range(2))
    variants = [{"template_id": a}, {"template_id": b}]
    steps = [{"template_id": first}, {"variants": variants, "delay_hours": 0}]
    r = client.post(f"{API}/sequences", json={"name": "Two", "steps": steps})
    assert r.status_code == 201, r.json
    client.patch(f"{API}/site", json={"cooldown_hours": 0})
    enrol_cards(client, r.json["id"], 4)
    clock.advance(minutes=1)
    Scheduler(app, owner="t", kind="sequence-steps").run_pass()
    got = session.execute(select(Email.variant, Email.template_id).where(Email.step == 2)).all()
    assert sorted(got) == [(0, a), (0, a), (1, b), (1, b)]
    assert session.scalars(select(Email.variant).where(Email.step == 1)).all() == [None] * 4


def test_a_variant_is_written_with_its_email_not_after_it(app, client, roomy, sendgrid, session):
    """Each write a step costs is paid 10,000 times a run (bench/steps_fleet.py, issue 28):
    the email row is inserted with its variant and updated once, when it went."""
    seq = ab_sequence(client, (1, 1))
    writes = Counter()

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().startswith(("INSERT INTO emails ", "UPDATE emails ")):
            writes[statement.split()[0]] += 1

    engine = app.extensions["outreach"].engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        enrol_cards(client, seq["id"], 1)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert session.scalar(select(Email.variant)) is not None
    assert writes == {"INSERT": 1, "UPDATE": 1}
