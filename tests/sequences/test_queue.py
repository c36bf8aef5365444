"""The sending queue (docs/api.md §20): enrolments beyond the site's room wait for slots
that keep the daily cap, the hourly limit and the spacing, handed out in request order;
the scheduler sends each at its slot, exactly once, the caps holding at send time with
two schedulers racing."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from service.models import Email, Enrollment, Opportunity
from service.worker.scheduler import Scheduler
from tests.support.api import create_opp, create_template, make_sequence
from tests.support.processes import run_threads
from tests.support.signed import SignedHttpClient
from tests.support.state import new_cards, scalar, set_site

BULK = "/api/v1/opportunities/bulk"
DAY, HOUR, SPACING = timedelta(days=1), timedelta(hours=1), timedelta(seconds=60)
CARDS, DAILY, HOURLY = 240, 100, 40
PASS_EVERY = timedelta(seconds=45)  # the schedulers' passes: due steps pile up between them


def most_in_any(times: list[datetime], span: timedelta) -> int:
    """The most times in any rolling window of `span`."""
    times = sorted(times)
    return max(sum(1 for u in times if t <= u < t + span) for t in times)


def pairs(session, stmt) -> dict:
    """{first: second} of a two-column query, transaction ended."""
    try:
        return dict(tuple(row) for row in session.execute(stmt))
    finally:
        session.rollback()


def spaced(times: list[datetime]) -> bool:
    times = sorted(times)
    return all(b - a >= SPACING for a, b in zip(times, times[1:], strict=False))


@pytest.fixture
def paced_cards(app, site_key, clock):
    """CARDS cards with a contact each, on a site paced at DAILY a day, HOURLY an hour."""
    set_site(
        app,
        site_key.site_id,
        daily_limit=DAILY,
        hourly_limit=HOURLY,
        min_spacing_seconds=int(SPACING.total_seconds()),
    )
    cards = new_cards(site_key.site_id, CARDS, "q", clock.now())
    for i, card in enumerate(cards):
        card.contact_email = f"editor@q{i}.example"
    with app.extensions["outreach"].session_factory() as s:
        s.add_all(cards)
        s.commit()
        return [c.id for c in cards]


def assign_in_chunks(client, ids, sequence_id, size=25) -> tuple[list, list]:
    """The bridge's way: chunks of 25, in order; (done, queued) of every answer."""
    done, queued = [], []
    for at in range(0, len(ids), size):
        r = client.post(
            BULK,
            json={
                "ids": ids[at : at + size],
                "action": "assign_sequence",
                "sequence_id": sequence_id,
            },
        )
        assert r.status_code == 200 and r.json["failed"] == [], r.json
        done += r.json["done"]
        queued += r.json["queued"]
    return done, queued


def run_schedulers(app, engine, clock, session) -> int:
    """Two sequence-steps schedulers, a pass each every PASS_EVERY of the frozen clock
    (on PostgreSQL at once, from two threads with their own connections), until no
    enrollment is active; how many rounds it took."""
    runners = [Scheduler(app, owner=f"queue-{i}", kind="sequence-steps") for i in (1, 2)]
    together = engine.dialect.name == "postgresql"
    active = select(func.min(Enrollment.next_step_at)).where(Enrollment.status == "active")
    rounds = 0
    while (due := scalar(session, active)) is not None:
        clock.set(max(due, clock.now() + PASS_EVERY))
        if together:
            run_threads(lambda r: r.run_pass(), [(r,) for r in runners])
        else:
            for runner in runners:
                runner.run_pass()
        rounds += 1
        assert rounds < 4 * CARDS, "the queue does not drain"
    return rounds


def test_240_enrolments_at_a_cap_of_100_are_paced_over_three_days_and_sent_once(
    app, engine, client, clock, sendgrid, session, paced_cards
):
    t0 = clock.now()
    template = create_template(client, "Q", "Hello {{domain}}", "Hi, about {{url}}.")["id"]
    sequence = make_sequence(client, [template])["id"]
    done, queued = assign_in_chunks(client, paced_cards, sequence)

    # One goes now; the others wait, in request order, spread by the spacing and the caps.
    assert done == paced_cards[:1]
    assert [q["id"] for q in queued] == paced_cards[1:]
    slots = [t0] + [datetime.fromisoformat(q["scheduled_for"]) for q in queued]
    assert slots == sorted(slots) and spaced(slots)
    per_day = [sum(t0 + d * DAY <= s < t0 + (d + 1) * DAY for s in slots) for d in range(3)]
    assert per_day == [DAILY, DAILY, CARDS - 2 * DAILY]
    assert most_in_any(slots, DAY) == DAILY and most_in_any(slots, HOUR) == HOURLY
    statuses = pairs(session, select(Opportunity.id, Opportunity.status))
    assert Counter(statuses.values()) == {"reached": 1, "queued": CARDS - 1}
    assert statuses[paced_cards[0]] == "reached"
    shown = client.get(f"/api/v1/opportunities/{paced_cards[1]}/sequence").json
    assert shown["scheduled_for"] == queued[0]["scheduled_for"] and shown["current_step"] == 0

    run_schedulers(app, engine, clock, session)

    # Every card emailed exactly once, never beyond a cap, never closer than the spacing.
    recipients = Counter(
        m["request"]["personalizations"][0]["to"][0]["email"] for m in sendgrid.messages
    )
    assert len(recipients) == CARDS and set(recipients.values()) == {1}
    sent = pairs(session, select(Email.opportunity_id, Email.created_at))
    assert scalar(session, select(func.count(Email.id))) == CARDS
    assert scalar(session, select(func.count(Email.id)).where(Email.send_state != "sent")) == 0
    times = list(sent.values())
    assert spaced(times)
    assert most_in_any(times, DAY) <= DAILY and most_in_any(times, HOUR) <= HOURLY
    # ...and day by day in request order: the first hundred today, the next tomorrow.
    for d, ids in enumerate((paced_cards[:DAILY], paced_cards[DAILY : 2 * DAILY])):
        assert all(t0 + d * DAY <= sent[i] < t0 + (d + 1) * DAY for i in ids)
    assert all(sent[i] >= t0 + 2 * DAY for i in paced_cards[2 * DAILY :])
    waiting = select(func.count(Opportunity.id)).where(Opportunity.status != "reached")
    assert scalar(session, waiting) == 0


def test_one_enrolment_without_room_is_queued_then_sent_at_its_slot(
    app, client, clock, sendgrid, site_key, scheduler
):
    set_site(app, site_key.site_id, min_spacing_seconds=60)
    template = create_template(client)["id"]
    sequence = make_sequence(client, [template])["id"]
    first = create_opp(client, "https://a.example.org/", contact_email="ed@a.example.org")["id"]
    second = create_opp(client, "https://b.example.org/", contact_email="ed@b.example.org")["id"]
    r = client.post(
        f"/api/v1/opportunities/{first}/sequence",
        json={"sequence_id": sequence, "to": "ed@a.example.org"},
    )
    assert r.status_code == 201 and r.json["scheduled_for"] is None, r.json
    clock.advance(seconds=10)
    r = client.post(
        f"/api/v1/opportunities/{second}/sequence",
        json={"sequence_id": sequence, "to": "ed@b.example.org"},
    )
    assert r.status_code == 202, r.json
    slot = datetime.fromisoformat(r.json["scheduled_for"])
    assert timedelta(seconds=50) <= slot - clock.now() <= timedelta(seconds=62)  # + jitter
    assert client.get(f"/api/v1/opportunities/{second}").json["status"] == "queued"
    assert len(sendgrid.messages) == 1
    clock.set(slot - timedelta(seconds=1))
    assert scheduler.run_pass().get("sent", 0) == 0
    clock.set(slot)
    assert scheduler.run_pass()["sent"] == 1
    assert client.get(f"/api/v1/opportunities/{second}").json["status"] == "reached"
    assert len(sendgrid.messages) == 2


def test_a_step_due_too_soon_after_another_send_waits_for_the_spacing(
    app, client, clock, sendgrid, site_key, scheduler
):
    set_site(app, site_key.site_id, min_spacing_seconds=0, cooldown_hours=0)
    templates = [create_template(client, f"T{i}")["id"] for i in (1, 2)]
    sequence = make_sequence(client, templates, delay_hours=1)["id"]
    ids = [
        create_opp(client, f"https://s{i}.example.org/", contact_email=f"ed@s{i}.example.org")["id"]
        for i in range(3)
    ]
    r = client.post(BULK, json={"ids": ids, "action": "assign_sequence", "sequence_id": sequence})
    assert r.json["done"] == ids and r.json["queued"] == []
    set_site(app, site_key.site_id, min_spacing_seconds=60, hourly_limit=2)
    first_step_2 = clock.advance(hours=1)  # the three step 2s fall due together
    assert scheduler.run_pass() == {"sent": 1, "postponed": 2}  # the spacing holds two
    clock.advance(seconds=59)
    assert scheduler.run_pass() == {}
    clock.advance(seconds=1)
    assert scheduler.run_pass() == {"sent": 1, "postponed": 1}  # the hour is full
    clock.set(first_step_2 + timedelta(hours=1) - timedelta(seconds=1))
    assert scheduler.run_pass() == {}
    clock.set(first_step_2 + timedelta(hours=1))
    assert scheduler.run_pass() == {"sent": 1}
    assert len(sendgrid.messages) == 6


def test_racing_enrolments_never_take_the_same_last_slot(app, live, client, clock, site_key):
    set_site(app, site_key.site_id, daily_limit=5)
    template = create_template(client)["id"]
    # A sequence each: enrolments in one sequence queue on its row lock, not the site's.
    sequences = [make_sequence(client, [template], name=f"S{i}")["id"] for i in range(20)]
    cards = [
        create_opp(client, f"https://r{i}.example.org/", contact_email=f"ed@r{i}.example.org")["id"]
        for i in range(20)
    ]
    barrier, answers = threading.Barrier(len(cards)), {}

    def enrol(i, card):
        http = SignedHttpClient(live.url, site_key)
        barrier.wait()
        answers[i] = http.post(
            f"/api/v1/opportunities/{card}/sequence",
            json={"sequence_id": sequences[i], "to": f"ed@r{i}.example.org"},
        )

    run_threads(enrol, list(enumerate(cards)))
    codes = Counter(r.status_code for r in answers.values())
    assert codes == {201: 5, 202: 15}, [r.json() for r in answers.values()]
    slots = [clock.now()] * 5 + [
        datetime.fromisoformat(r.json()["scheduled_for"])
        for r in answers.values()
        if r.status_code == 202
    ]
    assert most_in_any(slots, DAY) == 5
    assert Counter(slots) == {clock.now() + d * DAY: 5 for d in range(4)}


def test_stopping_a_sequence_whose_step_1_waits_puts_the_card_back_in_new(
    app, client, site_key, sendgrid
):
    set_site(app, site_key.site_id, daily_limit=1)
    sequence = make_sequence(client, [create_template(client)["id"]])["id"]
    a, b, c = (
        create_opp(client, f"https://{n}.example.org/", contact_email=f"ed@{n}.example.org")["id"]
        for n in "abc"
    )
    r = client.post(
        BULK, json={"ids": [a, b, c], "action": "assign_sequence", "sequence_id": sequence}
    )
    assert r.json["done"] == [a] and [q["id"] for q in r.json["queued"]] == [b, c]
    assert client.delete(f"/api/v1/opportunities/{b}/sequence").status_code == 200
    r = client.post(BULK, json={"ids": [c], "action": "stop_sequence"})
    assert r.json["done"] == [c], r.json
    status = {i: client.get(f"/api/v1/opportunities/{i}").json["status"] for i in (a, b, c)}
    assert status == {a: "reached", b: "new", c: "new"}
