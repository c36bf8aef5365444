"""Sequences CRUD: validation, defaults, capabilities, tenant isolation, delete rules."""

from __future__ import annotations

from tests.support.api import create_template, make_sequence

VIEW_ONLY = "outreach.view"


def test_create_fills_defaults_and_keeps_order(client, templates3):
    t1, t2, t3 = templates3
    r = client.post(
        "/api/v1/sequences",
        json={
            "name": "Drip",
            "steps": [
                {"template_id": t3},
                {"template_id": t1, "delay_hours": 0.5, "stop_on_open": False},
                {"template_id": t2, "delay_hours": 0},
            ],
        },
    )
    assert r.status_code == 201, r.json
    steps = r.json["steps"]
    assert [s["template_id"] for s in steps] == [t3, t1, t2]
    assert steps[0] == {
        "template_id": t3,
        "delay_hours": 72.0,
        "stop_on_reply": True,
        "stop_on_click": True,
        "stop_on_open": True,
        "thread": "reply",
        "variants": None,  # docs/api.md §18: no A/B test
        "auto_winner": False,
        "min_sends": 100,
    }
    assert steps[1]["delay_hours"] == 0.5 and steps[1]["stop_on_open"] is False
    assert steps[2]["delay_hours"] == 0
    got = client.get(f"/api/v1/sequences/{r.json['id']}")
    assert got.status_code == 200 and got.json["steps"] == steps
    assert [s["name"] for s in client.get("/api/v1/sequences").json] == ["Drip"]


def test_validation_names_fields(client, templates3):
    cases = [
        ({"name": "x", "steps": []}, "steps"),
        ({"name": "", "steps": [{"template_id": templates3[0]}]}, "name"),
        ({"name": "x", "steps": [{"template_id": templates3[0], "delay_hours": -1}]}, "steps"),
        ({"name": "x", "steps": [{"template_id": 999999}]}, "steps"),
        ({"name": "x", "steps": [{"delay_hours": 3}]}, "steps"),
        ({"steps": [{"template_id": templates3[0]}]}, "name"),
    ]
    for body, field in cases:
        r = client.post("/api/v1/sequences", json=body)
        assert r.status_code == 422, (body, r.json)
        assert field in r.json["errors"], (body, r.json)
    assert client.get("/api/v1/sequences").json == []


def test_another_sites_template_is_refused(client, other_client):
    foreign = create_template(other_client)["id"]
    r = client.post("/api/v1/sequences", json={"name": "x", "steps": [{"template_id": foreign}]})
    assert r.status_code == 422
    assert r.json["errors"]["steps"]["0"]["template_id"]


def test_patch_renames_and_replaces_steps(client, templates3):
    seq = make_sequence(client, templates3[:2])
    r = client.patch(f"/api/v1/sequences/{seq['id']}", json={"name": "Renamed"})
    assert r.status_code == 200 and r.json["name"] == "Renamed" and len(r.json["steps"]) == 2
    r = client.patch(
        f"/api/v1/sequences/{seq['id']}",
        json={"steps": [{"template_id": templates3[2], "delay_hours": 1.25}]},
    )
    assert r.status_code == 200, r.json
    assert [(s["template_id"], s["delay_hours"]) for s in r.json["steps"]] == [
        (templates3[2], 1.25)
    ]
    r = client.patch(f"/api/v1/sequences/{seq['id']}", json={"steps": [{"template_id": 0}]})
    assert r.status_code == 422
    assert (
        client.get(f"/api/v1/sequences/{seq['id']}").json["steps"][0]["template_id"]
        == templates3[2]
    )


def test_reading_needs_view_and_writing_needs_outreach_sequences(client, templates3):
    seq = make_sequence(client, templates3[:1])
    path = f"/api/v1/sequences/{seq['id']}"
    body = {"name": "x", "steps": [{"template_id": templates3[0]}]}
    assert client.get("/api/v1/sequences", caps=VIEW_ONLY).status_code == 200
    assert client.get(path, caps=VIEW_ONLY).status_code == 200
    assert client.get(path, caps="outreach.sequences").status_code == 403
    for r in (
        client.post("/api/v1/sequences", json=body, caps=VIEW_ONLY),
        client.patch(path, json={"name": "y"}, caps=VIEW_ONLY),
        client.delete(path, caps="outreach.view,outreach.templates"),
    ):
        assert r.status_code == 403, r.json
        assert "outreach.sequences" in r.json["message"]
    assert client.post("/api/v1/sequences", json=body, caps="outreach.sequences").status_code == 201


def test_another_sites_sequences_are_invisible_and_untouchable(client, other_client, templates3):
    seq = make_sequence(client, templates3[:1])
    path = f"/api/v1/sequences/{seq['id']}"
    assert other_client.get("/api/v1/sequences").json == []
    assert other_client.get(path).status_code == 404
    assert other_client.patch(path, json={"name": "stolen"}).status_code == 404
    assert other_client.delete(path).status_code == 404
    assert client.get(path).json["name"] == "Drip"


def test_delete_frees_templates_and_hides_sequence(client, templates3):
    seq = make_sequence(client, templates3[:1])
    assert client.delete(f"/api/v1/templates/{templates3[0]}").status_code == 409
    assert client.delete(f"/api/v1/sequences/{seq['id']}").status_code == 204
    assert client.get(f"/api/v1/sequences/{seq['id']}").status_code == 404
    assert client.get("/api/v1/sequences").json == []
    assert client.delete(f"/api/v1/sequences/{seq['id']}").status_code == 404
    assert client.delete(f"/api/v1/templates/{templates3[0]}").status_code == 204
