"""The activity feed (docs/api.md §21, issue 22 item 10): one entry per action with the
card's domain and the person, bulk actions grouped with their count, replies, auto-replies,
unsubscribe requests and sequence stops; filters by person, card and kind; paging."""

from __future__ import annotations

from tests.replies.test_conversations import _post
from tests.replies.test_reply_kinds import _enrolled, _step_email
from tests.support.api import API, assert_error, create_opp, sent_email
from tests.support.signed import SignedTestClient


def feed(client, **query):
    r = client.get(f"{API}/activity", query=query or None)
    assert r.status_code == 200, r.json
    return r.json


def move(client, opp, status):
    r = client.post(f"{API}/opportunities/{opp['id']}/move", json={"status": status})
    assert r.status_code == 200, r.json


def test_a_move_names_the_card_and_the_person(client, clock):
    opp = create_opp(client, source_url="https://example.org/post")
    clock.advance(seconds=1)
    move(client, opp, "won")
    moved, created = feed(client)["items"]
    assert (moved["kind"], moved["action"], moved["user"], moved["count"]) == (
        "move", "opportunity.move", 1, 1,
    )  # fmt: skip
    assert moved["card"] == {"id": opp["id"], "domain": "example.org"}
    assert moved["detail"] == {"from": "new", "to": "won"}
    assert (created["kind"], created["card"]["domain"]) == ("card", "example.org")


def test_a_bulk_move_is_one_entry_with_its_count(client, clock):
    ids = [create_opp(client, source_url=f"https://s{i}.example.org/")["id"] for i in range(4)]
    clock.advance(seconds=1)
    r = client.post(
        f"{API}/opportunities/bulk", json={"ids": ids, "action": "move", "status": "queued"}
    )
    assert r.status_code == 200, r.json
    [bulk] = [e for e in feed(client)["items"] if e["kind"] == "move"]
    assert (bulk["count"], bulk["card"], bulk["detail"]["to"]) == (4, None, "queued")
    assert feed(client, kind="card")["items"][0]["count"] == 4  # created at one instant too


def test_replies_auto_replies_unsubscribes_and_sequence_stops(client, app, clock, fake_sg, live):
    enrollment = _enrolled(client)
    clock.advance(seconds=1)
    _post(app, fake_sg, live, _step_email(app, enrollment), text="Sure, add the link.")
    clock.advance(seconds=1)
    out = sent_email(client, to="away@other.example.net")
    clock.advance(seconds=1)
    _post(app, fake_sg, live, out, subject="Out of Office: hello", text="I am out of the office.")
    clock.advance(seconds=1)
    gone = sent_email(client, to="no@third.example.com")
    clock.advance(seconds=1)
    _post(app, fake_sg, live, gone, text="Please remove me from your list.")
    items = feed(client)["items"]
    kinds = [(e["kind"], e["action"], e["card"]["domain"]) for e in items if e["user"] != 1]
    assert ("unsubscribe", "reply.received", "third.example.com") in kinds
    assert ("auto_reply", "reply.received", "other.example.net") in kinds
    assert ("reply", "reply.received", "blog.example.org") in kinds
    stop = next(e for e in items if e["action"] == "enrollment.stopped")
    assert (stop["user"], stop["detail"], stop["card"]["domain"]) == (
        0, {"reason": "reply"}, "blog.example.org",
    )  # fmt: skip
    reply = next(e for e in items if e["kind"] == "reply" and e["user"] is None)
    assert reply["detail"]["from"] == "prospect@example.org"
    assert [e["kind"] for e in feed(client, kind="auto_reply")["items"]] == ["auto_reply"]
    assert {e["kind"] for e in feed(client, kind="sequence")["items"]} == {"sequence"}


def test_filters_by_person_card_and_kind(app, client, site_key, clock):
    anna = SignedTestClient(app.test_client(), site_key, clock, user=7)
    one = create_opp(client, source_url="https://one.example.org/")
    two = create_opp(anna, source_url="https://two.example.org/")
    clock.advance(seconds=1)
    move(anna, one, "queued")
    clock.advance(seconds=1)
    move(client, two, "reached")
    mine = feed(client, user=7)["items"]
    assert [(e["action"], e["card"]["domain"]) for e in mine] == [
        ("opportunity.move", "one.example.org"),
        ("opportunity.create", "two.example.org"),
    ]
    of_two = feed(client, opportunity_id=two["id"])["items"]
    assert [(e["action"], e["user"]) for e in of_two] == [
        ("opportunity.move", 1), ("opportunity.create", 7),
    ]  # fmt: skip
    moves = feed(client, kind="move")["items"]
    assert [e["card"]["domain"] for e in moves] == ["two.example.org", "one.example.org"]
    assert feed(client, kind="other")["items"] == []
    assert [p["user"] for p in feed(client)["people"]] == [1, 7]


def test_pages_continue_where_the_last_one_stopped(client, clock):
    for i in range(5):
        create_opp(client, source_url=f"https://p{i}.example.org/")
        clock.advance(seconds=1)
    seen, before = [], None
    while True:
        page = feed(client, page_size=2, **({"before": before} if before else {}))
        seen += [e["card"]["domain"] for e in page["items"]]
        before = page["next_before"]
        if before is None:
            break
    assert seen == [f"p{i}.example.org" for i in reversed(range(5))]


def test_bad_filters_are_refused_and_other_sites_see_nothing(client, other_client, app, site_key):
    create_opp(client)
    assert_error(client.get(f"{API}/activity", query={"kind": "nope"}), 422)
    assert_error(client.get(f"{API}/activity", query={"before": "yesterday"}), 422)
    assert_error(client.get(f"{API}/activity", query={"page_size": 0}), 422)
    assert feed(other_client)["items"] == []
    viewer = SignedTestClient(app.test_client(), site_key, None, caps="outreach.view")
    assert_error(viewer.get(f"{API}/activity"), 403, "outreach.settings")
