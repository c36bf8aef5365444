"""Prospect metrics (docs/api.md §20): a card's `metrics` object, set on create, changed
key by key with PATCH, on the board and in deltas, imported from SEO-tool exports and
exported again."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.support.api import API, assert_error, create_opp

OPPS = f"{API}/opportunities"
FIXTURES = Path(__file__).parent.parent / "transfer" / "fixtures_import"
EMPTY = {
    "dr": None,
    "traffic": None,
    "referring_domains": None,
    "url_rating": None,
    "spam_score": None,
    "source": None,
}


def upload(client, body: bytes, **query):
    return client.post(
        f"{OPPS}/import", data=body, query=query, headers={"Content-Type": "text/csv"}
    )


def by_source(client) -> dict[str, dict]:
    items = client.get(OPPS, query={"page_size": 500}).json["items"]
    return {c["source_url"]: c for c in items}


def test_a_new_card_has_empty_metrics(client):
    card = create_opp(client)
    assert card["metrics"] == EMPTY
    board = client.get(f"{API}/board").json
    assert board["columns"]["new"][0]["metrics"] == EMPTY


def test_create_and_patch_metrics_key_by_key(client):
    card = create_opp(client, metrics={"dr": 71, "traffic": 1200, "source": "Ahrefs"})
    assert card["metrics"] == {**EMPTY, "dr": 71, "traffic": 1200, "source": "Ahrefs"}
    r = client.patch(f"{OPPS}/{card['id']}", json={"metrics": {"dr": 65, "traffic": None}})
    assert r.status_code == 200, r.json
    assert r.json["metrics"] == {**EMPTY, "dr": 65, "source": "Ahrefs"}
    cursor = client.get(f"{API}/board").json["cursor"]
    client.patch(f"{OPPS}/{card['id']}", json={"metrics": {"spam_score": 3}})
    delta = client.get(f"{API}/board", query={"since": cursor}).json
    assert delta["cards"][0]["metrics"]["spam_score"] == 3
    r = client.patch(f"{OPPS}/{card['id']}", json={"metrics": None})
    assert r.json["metrics"] == EMPTY


def test_bad_metrics_are_refused_and_nothing_changes(client):
    card = create_opp(client, metrics={"dr": 50})
    for bad in ({"dr": 101}, {"traffic": -1}, {"dr": "high"}, {"source": "a\nb"}, {"x": 1}):
        r = client.patch(f"{OPPS}/{card['id']}", json={"metrics": bad})
        assert_error(r, 422)
    assert client.get(f"{OPPS}/{card['id']}").json["metrics"]["dr"] == 50


def test_ahrefs_export_fills_metrics_with_its_tool(client):
    r = upload(client, (FIXTURES / "ahrefs_backlinks.csv").read_bytes())
    assert r.status_code == 200 and r.json["errors"] == [], r.json
    assert r.json["columns"]["Domain rating"] == "dr"
    card = by_source(client)["https://www.tools.example/best-seo"]
    assert card["metrics"] == {
        "dr": 71,
        "traffic": 1200,
        "referring_domains": 40,
        "url_rating": None,
        "spam_score": None,
        "source": "Ahrefs",
    }


def test_semrush_and_moz_exports_name_their_tool(client):
    upload(client, (FIXTURES / "semrush_backlink_gap.csv").read_bytes())
    upload(client, (FIXTURES / "moz_inbound_links.csv").read_bytes())
    found = by_source(client)
    assert found["https://news.example/"]["metrics"] == {**EMPTY, "dr": 55, "source": "Semrush"}
    moz = found["https://directory.example/listing/12"]["metrics"]
    assert moz == {**EMPTY, "dr": 45, "spam_score": 1, "source": "Moz"}


def test_metric_cells_are_read_or_refused_per_row(client):
    body = (
        b"URL,DR,Organic traffic,UR\n"
        b'https://a.example/,"45.0","1,234",n/a\n'
        b"https://b.example/,high,,\n"
        b"https://c.example/,120,,\n"
    )
    r = upload(client, body)
    assert r.json["created"] == 1
    lines = {e["line"]: e["message"] for e in r.json["errors"]}
    assert "Domain rating “high” is not a number" in lines[3]
    assert "between 0 and 100" in lines[4]
    card = by_source(client)["https://a.example/"]
    assert card["metrics"] == {**EMPTY, "dr": 45, "traffic": 1234, "source": "Ahrefs"}


def test_update_mode_fills_metrics_and_keeps_what_a_row_lacks(client):
    card = create_opp(client, "https://a.example/", metrics={"dr": 10, "spam_score": 4})
    body = b"URL,Domain Authority,Spam Score\nhttps://a.example/,33,\n"
    r = upload(client, body, on_duplicate="update")
    assert r.json["updated"] == 1, r.json
    got = client.get(f"{OPPS}/{card['id']}").json["metrics"]
    assert got == {**EMPTY, "dr": 33, "spam_score": 4, "source": "Moz"}


def test_export_round_trips_metrics(client):
    create_opp(client, "https://a.example/", metrics={"dr": 70, "traffic": 9, "source": "Ahrefs"})
    r = client.get(f"{OPPS}/export")
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True), newline="")))
    assert (rows[0]["dr"], rows[0]["traffic"], rows[0]["metrics_source"]) == ("70", "9", "Ahrefs")
    client.delete(f"{OPPS}/{by_source(client)['https://a.example/']['id']}")
    again = upload(client, r.get_data())
    assert again.json["created"] == 1, again.json
    metrics = by_source(client)["https://a.example/"]["metrics"]
    assert metrics == {**EMPTY, "dr": 70, "traffic": 9, "source": "Ahrefs"}
