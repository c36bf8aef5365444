"""Projects (docs/api.md §19): CRUD, a card's project, and the project filter everywhere."""

from __future__ import annotations

import csv
import io

from tests.projects.conftest import make_project
from tests.support.api import API, assert_error, create_opp, send

PROJECTS = f"{API}/projects"


def test_projects_crud_with_counts_and_names_unique_per_site(client, other_client):
    acme = make_project(client, "Acme", client="Acme Inc.", target_domain="acme.example")
    assert acme == {
        "id": acme["id"],
        "name": "Acme",
        "client": "Acme Inc.",
        "target_domain": "acme.example",
        "color": "#2271b1",
        "archived": False,
        "counts": {"new": 0, "queued": 0, "reached": 0, "won": 0},
    }
    assert_error(client.post(PROJECTS, json={"name": "Acme"}), 409, "exists")
    assert_error(client.post(PROJECTS, json={"name": "X", "color": "red"}), 422)
    assert_error(client.post(PROJECTS, json={"name": "X", "target_domain": "a b"}), 422)
    make_project(other_client, "Acme")  # another site's names are its own
    create_opp(client, "https://a.example/1", project_id=acme["id"], status="won")
    r = client.patch(f"{PROJECTS}/{acme['id']}", json={"archived": True, "color": "#AA0000"})
    assert r.status_code == 200, r.json
    assert r.json["archived"] is True and r.json["color"] == "#AA0000"
    assert r.json["counts"]["won"] == 1
    assert [p["name"] for p in client.get(PROJECTS).json] == ["Acme"]
    assert_error(other_client.get(f"{PROJECTS}/{acme['id']}"), 404)
    assert_error(other_client.delete(f"{PROJECTS}/{acme['id']}"), 404)


def test_delete_only_when_empty(client):
    acme = make_project(client)
    card = create_opp(client, "https://a.example/1", project_id=acme["id"])
    assert_error(client.delete(f"{PROJECTS}/{acme['id']}"), 409, "card")
    assert client.delete(f"{API}/opportunities/{card['id']}").status_code == 204
    assert client.delete(f"{PROJECTS}/{acme['id']}").status_code == 204
    assert_error(client.get(f"{PROJECTS}/{acme['id']}"), 404)


def test_a_card_takes_only_a_project_of_its_site(client, other_client):
    mine, theirs = make_project(client), make_project(other_client, "Theirs")
    r = client.post(f"{API}/opportunities", json={"source_url": "https://a.example/1",
                                                  "project_id": theirs["id"]})  # fmt: skip
    assert_error(r, 422, "project")
    card = create_opp(client, "https://a.example/1", project_id=mine["id"])
    assert card["project_id"] == mine["id"]
    assert_error(
        client.patch(f"{API}/opportunities/{card['id']}", json={"project_id": theirs["id"]}), 422
    )
    r = client.patch(f"{API}/opportunities/{card['id']}", json={"project_id": None})
    assert r.status_code == 200 and r.json["project_id"] is None


def _assign(client, ids, project_id):
    body = {"ids": ids, "action": "assign_project", "project_id": project_id}
    return client.post(f"{API}/opportunities/bulk", json=body)


def _board_ids(body) -> set[int]:
    return {c["id"] for column in body["columns"].values() for c in column}


def test_the_board_and_its_deltas_filter_by_project(client):
    a, b = make_project(client, "A"), make_project(client, "B")
    in_a = create_opp(client, "https://a.example/1", project_id=a["id"])
    in_b = create_opp(client, "https://b.example/1", project_id=b["id"], status="queued")
    loose = create_opp(client, "https://c.example/1")
    board = client.get(f"{API}/board", query={"project_id": a["id"]}).json
    assert _board_ids(board) == {in_a["id"]}
    assert board["counts"] == {"new": 1, "queued": 0, "reached": 0, "won": 0}
    whole = client.get(f"{API}/board").json
    assert _board_ids(whole) == {in_a["id"], in_b["id"], loose["id"]}
    cursor = board["cursor"]
    # b's card joins a, a's card leaves it: one appears, the other is removed.
    r = _assign(client, [in_b["id"]], a["id"])
    assert r.json == {"done": [in_b["id"]], "failed": []}
    client.patch(f"{API}/opportunities/{in_a['id']}", json={"project_id": b["id"]})
    delta = client.get(f"{API}/board", query={"project_id": a["id"], "since": cursor}).json
    assert delta["full"] is False
    assert [c["id"] for c in delta["cards"]] == [in_b["id"]]
    assert delta["removed"] == [in_a["id"]]
    assert delta["counts"] == {"new": 0, "queued": 1, "reached": 0, "won": 0}
    # The ETag names the project: another project's answer is never a 304 of this one.
    tag_a = client.get(f"{API}/board", query={"project_id": a["id"]}).headers["ETag"]
    r = client.get(f"{API}/board", query={"project_id": b["id"]}, headers={"If-None-Match": tag_a})
    assert r.status_code == 200 and _board_ids(r.json) == {in_a["id"]}


def test_search_export_import_and_bulk_take_the_project(client, other_client):
    a, b = make_project(client, "A"), make_project(client, "B")
    theirs = make_project(other_client, "Theirs")
    in_a = create_opp(client, "https://a.example/1", project_id=a["id"])
    create_opp(client, "https://b.example/1", project_id=b["id"])
    found = client.get(f"{API}/opportunities", query={"project_id": a["id"]}).json
    assert [c["id"] for c in found["items"]] == [in_a["id"]] and found["total"] == 1
    body = "source_url\nhttps://new.example/1\nhttps://new.example/2\n"
    headers = {"Content-Type": "text/csv"}
    r = client.post(f"{API}/opportunities/import", data=body.encode(), headers=headers,
                    query={"project_id": theirs["id"]})  # fmt: skip
    assert_error(r, 422, "project")
    assert client.get(f"{API}/opportunities").json["total"] == 2  # nothing written
    r = client.post(f"{API}/opportunities/import", data=body.encode(), headers=headers,
                    query={"project_id": a["id"]})  # fmt: skip
    assert r.status_code == 200 and r.json["created"] == 2, r.json
    exported = client.get(f"{API}/opportunities/export", query={"project_id": a["id"]})
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert sorted(row["source_url"] for row in rows) == [
        "https://a.example/1", "https://new.example/1", "https://new.example/2",
    ]  # fmt: skip
    ids = [int(row["id"]) for row in rows]
    r = _assign(client, ids, theirs["id"])
    assert_error(r, 422, "project")
    r = _assign(client, ids[:1], None)
    assert r.json == {"done": ids[:1], "failed": []}
    r = client.post(f"{API}/opportunities/bulk", json={"ids": ids, "action": "assign_project"})
    assert_error(r, 422)
    assert client.get(f"{API}/opportunities", query={"project_id": a["id"]}).json["total"] == 2


def test_every_metrics_route_takes_the_project(client):
    a, b = make_project(client, "A"), make_project(client, "B")
    for project, host in ((a, "a.example"), (b, "b.example"), (b, "c.example")):
        card = create_opp(client, f"https://{host}/p", project_id=project["id"])
        assert send(client, card["id"], to=f"ed@{host}").status_code == 201
    assert client.get(f"{API}/metrics").json["total_sent"] == 3
    assert client.get(f"{API}/metrics", query={"project_id": a["id"]}).json["total_sent"] == 1
    assert client.get(f"{API}/metrics", query={"project_id": b["id"]}).json["total_sent"] == 2
    daily = client.get(f"{API}/metrics/daily", query={"project_id": a["id"]}).json
    assert sum(day["sent"] for day in daily) == 1
    for route in ("templates", "sequences"):
        r = client.get(f"{API}/metrics/{route}", query={"project_id": a["id"]})
        assert r.status_code == 200, r.json
