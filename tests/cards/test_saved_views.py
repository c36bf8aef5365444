"""Saved board views (docs/api.md §20): each WordPress user's own named board queries."""

from __future__ import annotations

from tests.support.api import API, assert_error, create_opp

VIEWS = f"{API}/views"
HIGH_DR = {"name": "High-DR, not contacted", "query": {"dr_min": 60, "email_status": "none"}}


def test_save_list_apply_and_delete_a_view(client):
    high = create_opp(client, "https://high.example/", metrics={"dr": 80})["id"]
    create_opp(client, "https://low.example/", metrics={"dr": 10})
    r = client.post(VIEWS, json={**HIGH_DR, "query": {**HIGH_DR["query"], "sort": "-dr"}})
    assert r.status_code == 201, r.json
    view = r.json
    assert view["name"] == "High-DR, not contacted"
    assert view["query"] == {"dr_min": 60, "email_status": "none", "sort": "-dr"}
    assert client.get(VIEWS).json == [view]
    board = client.get(f"{API}/board", query=view["query"]).json
    assert [c["id"] for c in board["columns"]["new"]] == [high]
    assert client.delete(f"{VIEWS}/{view['id']}").status_code == 204
    assert client.get(VIEWS).json == []


def test_views_belong_to_the_user_who_saved_them(client):
    mine = client.post(VIEWS, json=HIGH_DR, user=7).json
    assert client.get(VIEWS, user=8).json == []
    assert [v["id"] for v in client.get(VIEWS, user=7).json] == [mine["id"]]
    assert client.post(VIEWS, json=HIGH_DR, user=8).status_code == 201  # same name, other user
    assert_error(client.delete(f"{VIEWS}/{mine['id']}", user=8), 404)
    assert len(client.get(VIEWS, user=7).json) == 1


def test_a_name_twice_is_a_conflict_with_the_existing_id(client):
    first = client.post(VIEWS, json=HIGH_DR).json
    body = assert_error(client.post(VIEWS, json=HIGH_DR), 409)
    assert body["id"] == first["id"]


def test_bad_views_are_refused_and_nothing_is_saved(client):
    for bad in (
        {"name": "", "query": {}},
        {"name": "x" * 101, "query": {}},
        {"name": "two\nlines", "query": {}},
        {"name": "Sorted", "query": {"sort": "sideways"}},
        {"name": "Range", "query": {"dr_min": 70, "dr_max": 20}},
        {"name": "Cursor", "query": {"since": 5}},
        {"name": "No query"},
    ):
        assert_error(client.post(VIEWS, json=bad), 422)
    assert client.get(VIEWS).json == []


def test_a_64_bit_wordpress_user_keeps_views(client):
    big = 2**40 + 7  # WordPress user ids are BIGINT UNSIGNED
    r = client.post(VIEWS, json=HIGH_DR, user=big)
    assert r.status_code == 201, r.json
    assert [v["id"] for v in client.get(VIEWS, user=big).json] == [r.json["id"]]
