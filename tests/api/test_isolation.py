"""Tenant isolation: site B never sees, changes or counts site A's data."""

from __future__ import annotations

import pytest

from tests.api.test_capabilities import api_routes, url_for_rule
from tests.support.api import API, assert_error, create_opp, create_template, preview

MISSING = 987654

# A body that passes validation, so the lookup (not the schema) decides the answer.
BODIES = {
    ("PATCH", "/api/v1/opportunities/<int:opportunity_id>"): {"anchor_text": "pwned"},
    ("POST", "/api/v1/opportunities/<int:opportunity_id>/move"): {"status": "won"},
    ("PUT", "/api/v1/opportunities/<int:opportunity_id>/notes"): {"notes": "pwned"},
    ("PATCH", "/api/v1/templates/<int:template_id>"): {"name": "pwned"},
    ("POST", "/api/v1/opportunities/<int:opportunity_id>/emails"): {
        "to": "x@b.example",
        "subject": "s",
        "body": "b",
    },
    ("POST", "/api/v1/opportunities/<int:opportunity_id>/sequence"): {
        "sequence_id": MISSING,
        "to": "x@b.example",
    },
}


@pytest.fixture
def a_data(client):
    opp = create_opp(
        client, anchor_text="secret anchor", notes="secret notes", contact_email="owner@a.example"
    )
    tpl = create_template(client, name="A only")
    return {"opportunity_id": opp["id"], "template_id": tpl["id"]}


def _snapshot(client):
    board = client.get(f"{API}/board").json
    templates = client.get(f"{API}/templates").json
    return board, templates


def test_every_id_route_answers_404_exactly_like_a_missing_id(app, client, other_client, a_data):
    before = _snapshot(client)
    checked = 0
    for method, rule, _func in api_routes(app):
        if not rule.arguments or not rule.arguments <= a_data.keys():
            continue
        body = BODIES.get((method, rule.rule), {} if method in ("POST", "PUT", "PATCH") else None)
        foreign = other_client.request(method, url_for_rule(app, rule, a_data), json=body)
        missing = other_client.request(
            method, url_for_rule(app, rule, {k: MISSING for k in a_data}), json=body
        )
        assert foreign.status_code == missing.status_code, (method, rule.rule, foreign.json)
        assert foreign.get_json() == missing.get_json(), (method, rule.rule)
        if (method, rule.rule) in BODIES or method in ("GET", "DELETE"):
            assert foreign.status_code == 404, (method, rule.rule, foreign.json)
        checked += 1
    assert checked >= 8
    assert _snapshot(client) == before


def test_preview_with_foreign_ids_is_404(client, other_client, a_data):
    r = other_client.post(f"{API}/templates/preview", json={"template_id": a_data["template_id"]})
    m = other_client.post(f"{API}/templates/preview", json={"template_id": MISSING})
    assert assert_error(r, 404) == assert_error(m, 404)
    r = preview(other_client, "s", "{{anchor_text}}", a_data["opportunity_id"])
    assert_error(r, 404)
    assert "secret" not in r.get_data(as_text=True)


def test_board_and_lists_never_show_other_sites_cards(client, other_client, a_data):
    create_opp(other_client, "https://b-only.example/p")
    b_board = other_client.get(f"{API}/board").json
    assert b_board["counts"] == {"new": 1, "queued": 0, "reached": 0, "won": 0}
    assert [c["source_url"] for c in b_board["columns"]["new"]] == ["https://b-only.example/p"]
    a_board = client.get(f"{API}/board").json
    assert a_board["counts"]["new"] == 1
    assert a_board["columns"]["new"][0]["id"] == a_data["opportunity_id"]
    # Search across tenants finds nothing of A's.
    assert other_client.get(f"{API}/board", query={"q": "secret"}).json["counts"]["new"] == 0
    page = other_client.get(f"{API}/opportunities", query={"q": "secret"}).json
    assert page["total"] == 0 and page["items"] == []
    page = other_client.get(f"{API}/opportunities").json
    assert page["total"] == 1
    assert [t["name"] for t in other_client.get(f"{API}/templates").json] == []


def test_same_urls_in_two_sites_are_not_duplicates(client, other_client):
    a = create_opp(client, "https://shared.example/p", target_url="https://t.example/")
    b = create_opp(other_client, "https://shared.example/p", target_url="https://t.example/")
    assert a["id"] != b["id"]


def test_positions_are_per_site(client, other_client):
    create_opp(client, "https://a1.example/")
    create_opp(client, "https://a2.example/")
    b = create_opp(other_client, "https://b1.example/")
    assert b["position"] == 0


def test_site_settings_are_per_site(client, other_client):
    assert client.patch(f"{API}/site", json={"daily_limit": 7}).status_code == 200
    assert other_client.get(f"{API}/site").json["daily_limit"] == 100
    assert client.get(f"{API}/site").json["name"] == "Site A"
    assert other_client.get(f"{API}/site").json["name"] == "Site B"
