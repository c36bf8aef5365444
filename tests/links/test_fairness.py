"""Link checks are shared fairly between sites (issue 21, finding 5): a site with a flood
of due checks cannot take every slot of a pass, and intervals have a floor."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from service.domain.links import check_job
from service.models import Site
from service.worker.scheduler import Scheduler
from tests.links.pages import html
from tests.support.api import API, settings
from tests.support.signed import SignedTestClient
from tests.support.state import make_site


def flood(client, count: int, tag: str) -> None:
    links = [{"source_url": f"https://{tag}{i}.example/"} for i in range(count)]
    r = client.post(f"{API}/backlinks", json={"backlinks": links})
    assert r.status_code == 201 or r.status_code == 200, r.json
    assert r.json["created"] == count


def backlink_ids(client) -> set[int]:
    items = client.get(f"{API}/backlinks", query={"page_size": 100}).json["items"]
    return {item["id"] for item in items}


@pytest.mark.parametrize("first", ["flooding", "quiet"])
def test_a_flooding_site_leaves_room_for_the_others(app, client, other_client, first, monkeypatch):
    """Site A (the lower id: claimed first before) has 1,000 due backlinks, site B one: B's
    check is in the first pass, wherever the round robin starts."""
    ids = {c.get(f"{API}/site").json["id"]: c for c in (client, other_client)}
    flooding, quiet = ids[min(ids)], ids[max(ids)]
    after = 0 if first == "flooding" else min(ids)
    monkeypatch.setattr(check_job, "_ROTATION", {"after": after}, raising=False)
    flood(flooding, 1000, "flood")
    flood(quiet, 1, "quiet")
    claimed = Scheduler(app, kind="link-checks")._claim(20)
    assert len(claimed) == 20
    assert {("backlink", i) for i in backlink_ids(quiet)} <= set(claimed)


def test_the_round_robin_moves_on_between_passes(app, client, other_client, clock, monkeypatch):
    """More sites than slots: each pass starts after the last site the previous one served."""
    monkeypatch.setattr(check_job, "_ROTATION", {"after": 0}, raising=False)
    third = SignedTestClient(app.test_client(), make_site(app, "C", "https://c.example"), clock)
    clients = sorted((c.get(f"{API}/site").json["id"], c) for c in (client, other_client, third))
    for n, (_id, each) in enumerate(clients):
        flood(each, 2, f"s{n}-")
    owners = {("backlink", i): site for site, c in clients for i in backlink_ids(c)}
    scheduler = Scheduler(app, kind="link-checks")
    first, second = scheduler._claim(2), scheduler._claim(2)
    assert [owners[i] for i in first] == [clients[0][0], clients[1][0]]
    assert [owners[i] for i in second] == [clients[2][0], clients[0][0]]


@pytest.mark.parametrize(
    "field", ["link_retry_hours", "link_check_won_hours", "link_check_reached_hours"]
)
def test_intervals_under_a_quarter_hour_are_refused(client, field):
    r = client.patch(f"{API}/site", json={field: 0.0001})
    assert r.status_code == 422
    assert "at least 0.25 hours" in str(r.json)
    for fine in (0, 0.25, 2):
        settings(client, **{field: fine})


def test_a_tiny_stored_interval_counts_as_a_quarter_hour(app, client, clock, pages):
    """Rows written before the floor keep their value: the scheduler reads it as 0.25."""
    pages.routes["/gone"] = html("<p>no link</p>")
    settings(client, link_lost_after=0)
    r = client.post(f"{API}/backlinks", json={"backlinks": [{"source_url": pages.url("/gone")}]})
    assert r.json["created"] == 1
    with app.extensions["outreach"].session_factory() as s:
        s.execute(update(Site).values(link_retry_hours=0.0001))
        s.commit()
    run = Scheduler(app, kind="link-checks").run_pass
    assert run() == {"missing": 1}
    clock.advance(minutes=14)
    assert run() == {}
    clock.advance(minutes=1)
    assert run() == {"missing": 1}
