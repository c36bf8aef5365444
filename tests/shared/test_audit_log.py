"""GET /api/v1/audit (docs/api.md, insights): paging, the card filter, cap and isolation."""

from __future__ import annotations

from tests.support.api import API, assert_error, create_opp


def test_the_trail_pages_newest_first_with_who_did_what(client, clock):
    a = create_opp(client, source_url="https://a.example/p")
    clock.advance(seconds=1)
    client.post(f"{API}/opportunities/{a['id']}/move", json={"status": "queued"}, user=7)
    clock.advance(seconds=1)
    client.put(f"{API}/opportunities/{a['id']}/notes", json={"notes": "call"}, user=8)
    first = client.get(f"{API}/audit", query={"page_size": 2}).json
    assert first["total"] == 3 and (first["page"], first["page_size"]) == (1, 2)
    assert [(i["action"], i["user"]) for i in first["items"]] == [
        ("opportunity.notes", 8),
        ("opportunity.move", 7),
    ]
    move = first["items"][1]
    assert (move["object_type"], move["object_id"]) == ("opportunity", str(a["id"]))
    assert move["changes"]["status"] == ["new", "queued"]
    assert move["at"].endswith("+00:00")
    second = client.get(f"{API}/audit", query={"page_size": 2, "page": 2}).json
    assert [i["action"] for i in second["items"]] == ["opportunity.create"]


def test_the_card_filter_keeps_one_cards_entries(client):
    a = create_opp(client, source_url="https://a.example/p")
    b = create_opp(client, source_url="https://b.example/p")
    client.put(f"{API}/opportunities/{b['id']}/notes", json={"notes": "x"})
    only_a = client.get(f"{API}/audit", query={"opportunity_id": a["id"]}).json
    assert [i["object_id"] for i in only_a["items"]] == [str(a["id"])]
    assert only_a["total"] == 1


def test_the_trail_needs_outreach_settings_and_stays_in_its_site(client, other_client, viewer):
    create_opp(client)
    assert_error(viewer.get(f"{API}/audit"), 403, "outreach.settings")
    assert other_client.get(f"{API}/audit").json == {
        "items": [],
        "total": 0,
        "page": 1,
        "page_size": 50,
    }
    a = client.get(f"{API}/audit").json["items"][0]
    r = other_client.get(f"{API}/audit", query={"opportunity_id": int(a["object_id"])})
    assert r.json["total"] == 0


def test_bad_paging_is_422(client):
    assert_error(client.get(f"{API}/audit", query={"page_size": 1000}), 422)
    assert_error(client.get(f"{API}/audit", query={"page": 0}), 422)
