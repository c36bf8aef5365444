"""v2 cooldown per prospect: any address on one card waits cooldown_hours, atomically."""

from __future__ import annotations

from collections import Counter

from service.models import Email
from tests.support.api import API, create_opp, parallel_sends, send
from tests.support.state import rows


def test_twenty_parallel_sends_to_twenty_addresses_of_one_card(client, app, live, site_key):
    opp = create_opp(client)["id"]
    jobs = [(opp, f"contact{i}@prospect.example") for i in range(20)]
    results = parallel_sends(live.url, site_key, jobs)
    codes = Counter(r.status_code for r in results)
    assert codes == {201: 1, 429: 19}, codes
    refused = [r.json() for r in results if r.status_code == 429]
    assert all(r["limit"] == "cooldown" and "this prospect" in r["message"] for r in refused)
    assert Counter(e.send_state for e in rows(app, Email)) == {"sent": 1}


def test_prospect_cooldown_ends_and_other_cards_are_free(client, clock):
    opp = create_opp(client)["id"]
    assert send(client, opp, to="a@prospect.example").status_code == 201
    other = create_opp(client, source_url="https://other.example/p")["id"]
    assert send(client, other, to="b@prospect.example").status_code == 201
    clock.advance(hours=23)
    r = send(client, opp, to="c@prospect.example")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) == 3600
    clock.advance(hours=1)
    assert send(client, opp, to="c@prospect.example").status_code == 201
    history = client.get(f"{API}/opportunities/{opp}/emails").json
    assert [e["to"] for e in history] == ["c@prospect.example", "a@prospect.example"]
