"""Opportunities CRUD: validation, duplicates, domain derivation, patch, delete, notes."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.api import API, assert_error, column_ids, create_opp

OPPS = f"{API}/opportunities"


def test_create_returns_every_contract_field(client):
    r = client.post(
        OPPS,
        json={
            "source_url": "https://blog.example.org/p",
            "target_url": "https://a.example/tools",
            "anchor_text": "best tools",
            "contact_email": "ed@blog.example.org",
        },
    )
    assert r.status_code == 201
    card = r.json
    for field in (
        "id",
        "status",
        "source_url",
        "domain",
        "target_url",
        "anchor_text",
        "contact_email",
        "lost_link",
        "notes",
        "position",
        "email_status",
        "emails_sent",
        "last_emailed_at",
        "sequence",
        "created_at",
        "updated_at",
        "status_changed_at",
    ):
        assert field in card, field
    assert card["status"] == "new" and card["notes"] == "" and card["lost_link"] is False
    assert card["email_status"] is None and card["emails_sent"] == 0
    assert card["sequence"] is None and card["last_emailed_at"] is None
    for stamp in ("created_at", "updated_at", "status_changed_at"):
        parsed = datetime.fromisoformat(card[stamp])
        assert parsed.utcoffset().total_seconds() == 0, card[stamp]
    assert client.get(f"{OPPS}/{card['id']}").json == card


def test_create_with_status_and_lost_link(client):
    card = create_opp(client, status="won", lost_link=True)
    assert card["status"] == "won" and card["lost_link"] is True
    assert column_ids(client, "won") == [card["id"]]


@pytest.mark.parametrize(
    "body,fields",
    [
        ({}, {"source_url"}),
        ({"source_url": "not a url"}, {"source_url"}),
        ({"source_url": "ftp://x.example/file"}, {"source_url"}),
        ({"source_url": "javascript:alert(1)"}, {"source_url"}),
        ({"source_url": None}, {"source_url"}),
        ({"source_url": "https://x.example/", "target_url": "mailto:a@b.c"}, {"target_url"}),
        ({"source_url": "https://x.example/", "anchor_text": "a" * 501}, {"anchor_text"}),
        ({"source_url": "https://x.example/", "contact_email": "nope"}, {"contact_email"}),
        ({"source_url": "https://x.example/", "notes": "n" * 20001}, {"notes"}),
        ({"source_url": "https://x.example/", "status": "lost"}, {"status"}),
        ({"source_url": "https://x.example/", "lost_link": "maybe"}, {"lost_link"}),
        (
            {"source_url": 5, "contact_email": "nope", "status": "x"},
            {"source_url", "contact_email", "status"},
        ),
    ],
)
def test_create_validation_names_each_field(client, body, fields):
    err = assert_error(client.post(OPPS, json=body), 422)
    assert set(err["errors"]) == fields, err["errors"]
    for messages in err["errors"].values():
        assert messages


def test_unknown_and_read_only_fields_are_refused(client):
    err = assert_error(
        client.post(OPPS, json={"source_url": "https://x.example/", "domain": "evil.example"}), 422
    )
    assert "domain" in err["errors"]
    err = assert_error(
        client.post(OPPS, json={"source_url": "https://x.example/", "bogus": 1}), 422
    )
    assert "bogus" in err["errors"]


def test_limits_are_inclusive(client):
    card = create_opp(client, anchor_text="a" * 500, notes="n" * 20000)
    assert len(card["anchor_text"]) == 500 and len(card["notes"]) == 20000


def test_duplicate_409_carries_existing_id(client):
    first = create_opp(client, "https://dup.example/p", target_url="https://a.example/x")
    r = client.post(
        OPPS,
        json={
            "source_url": "https://dup.example/p",
            "target_url": "https://a.example/x",
            "anchor_text": "other",
        },
    )
    err = assert_error(r, 409)
    assert err["id"] == first["id"]
    # A different target (or none) is a different opportunity.
    create_opp(client, "https://dup.example/p", target_url="https://a.example/y")
    create_opp(client, "https://dup.example/p")
    err = assert_error(client.post(OPPS, json={"source_url": "https://dup.example/p"}), 409)
    assert client.get(f"{OPPS}/{err['id']}").json["target_url"] is None


@pytest.mark.parametrize(
    "url,domain",
    [
        ("https://www.Blog.Example.org/p", "blog.example.org"),
        ("http://EXAMPLE.COM:8080/x?y=1", "example.com"),
        ("https://www.example.co.uk:443/", "example.co.uk"),
        ("https://sub.www.example.com/", "sub.www.example.com"),
        ("https://wwwexample.com/", "wwwexample.com"),
        ("https://user:pw@Host.Example/", "host.example"),
        ("http://localhost:5000/page", "localhost"),
    ],
)
def test_domain_derivation(client, url, domain):
    assert create_opp(client, url)["domain"] == domain


def test_domain_is_read_only_on_patch(client):
    card = create_opp(client)
    err = assert_error(client.patch(f"{OPPS}/{card['id']}", json={"domain": "x.example"}), 422)
    assert "domain" in err["errors"]


def test_patch_fields_and_rederive_domain(client):
    card = create_opp(client, "https://old.example/p")
    r = client.patch(
        f"{OPPS}/{card['id']}",
        json={
            "source_url": "https://WWW.New.Example:8443/q",
            "anchor_text": None,
            "contact_email": "x@new.example",
        },
    )
    assert r.status_code == 200, r.json
    assert r.json["domain"] == "new.example"
    assert r.json["source_url"] == "https://WWW.New.Example:8443/q"
    assert r.json["contact_email"] == "x@new.example" and r.json["anchor_text"] is None
    assert client.get(f"{OPPS}/{card['id']}").json["domain"] == "new.example"


def test_patch_cannot_null_source_url(client):
    card = create_opp(client)
    err = assert_error(client.patch(f"{OPPS}/{card['id']}", json={"source_url": None}), 422)
    assert "source_url" in err["errors"]


def test_an_invalid_patch_names_each_field_and_changes_nothing(client):
    card = create_opp(client)
    err = assert_error(
        client.patch(
            f"{OPPS}/{card['id']}", json={"target_url": "nope", "status": "x", "position": -1}
        ),
        422,
    )
    assert set(err["errors"]) == {"target_url", "status", "position"}


def test_patch_urls_rechecks_duplicates(client):
    a = create_opp(client, "https://a.example/1", target_url="https://t.example/")
    b = create_opp(client, "https://a.example/2", target_url="https://t.example/")
    err = assert_error(
        client.patch(f"{OPPS}/{b['id']}", json={"source_url": "https://a.example/1"}), 409
    )
    assert err["id"] == a["id"]
    err = assert_error(
        client.patch(
            f"{OPPS}/{b['id']}",
            json={"source_url": "https://a.example/1", "anchor_text": "changed"},
        ),
        409,
    )
    unchanged = client.get(f"{OPPS}/{b['id']}").json
    assert unchanged["source_url"] == "https://a.example/2" and unchanged["anchor_text"] is None
    # Changing the target instead makes it distinct again.
    r = client.patch(
        f"{OPPS}/{b['id']}", json={"source_url": "https://a.example/1", "target_url": None}
    )
    assert r.status_code == 200
    # Patching a card with its own URLs is not a conflict with itself.
    r = client.patch(
        f"{OPPS}/{a['id']}",
        json={"source_url": "https://a.example/1", "target_url": "https://t.example/"},
    )
    assert r.status_code == 200
    # The old URLs of b are free now.
    create_opp(client, "https://a.example/2", target_url="https://t.example/")


def test_patch_status_moves_the_card(client):
    a = create_opp(client, "https://a.example/1")
    r = client.patch(f"{OPPS}/{a['id']}", json={"status": "reached"})
    assert r.status_code == 200 and r.json["status"] == "reached"
    assert column_ids(client, "reached") == [a["id"]] and column_ids(client, "new") == []
    assert r.json["status_changed_at"] >= a["status_changed_at"]


def test_delete_then_404_and_off_the_board(client):
    a = create_opp(client, "https://a.example/1", target_url="https://t.example/")
    b = create_opp(client, "https://a.example/2")
    r = client.delete(f"{OPPS}/{a['id']}")
    assert r.status_code == 204 and r.data == b""
    assert_error(client.get(f"{OPPS}/{a['id']}"), 404)
    assert_error(client.delete(f"{OPPS}/{a['id']}"), 404)
    assert_error(client.patch(f"{OPPS}/{a['id']}", json={"notes": "x"}), 404)
    assert_error(client.post(f"{OPPS}/{a['id']}/move", json={"status": "won"}), 404)
    assert_error(client.put(f"{OPPS}/{a['id']}/notes", json={"notes": "x"}), 404)
    board = client.get(f"{API}/board").json
    assert [c["id"] for c in board["columns"]["new"]] == [b["id"]]
    assert board["counts"]["new"] == 1
    assert client.get(OPPS).json["total"] == 1
    # The remaining card closes the gap.
    assert board["columns"]["new"][0]["position"] == 0
    # A deleted card does not block re-adding the same URLs.
    again = create_opp(client, "https://a.example/1", target_url="https://t.example/")
    assert again["id"] != a["id"]
    # ... nor does it block a PATCH to those URLs.
    client.delete(f"{OPPS}/{again['id']}")
    r = client.patch(
        f"{OPPS}/{b['id']}",
        json={"source_url": "https://a.example/1", "target_url": "https://t.example/"},
    )
    assert r.status_code == 200


def test_missing_id_is_404_json(client):
    err = assert_error(client.get(f"{OPPS}/999999"), 404)
    assert "opportunity" in err["message"].lower()


def test_notes_are_replaced_and_kept_as_typed(client):
    card = create_opp(client)
    r = client.put(f"{OPPS}/{card['id']}/notes", json={"notes": "Called Ed.\nLikes tea ☕"})
    assert r.status_code == 200 and r.json["notes"] == "Called Ed.\nLikes tea ☕"
    assert client.get(f"{OPPS}/{card['id']}").json["notes"] == "Called Ed.\nLikes tea ☕"
    r = client.put(f"{OPPS}/{card['id']}/notes", json={"notes": "n" * 20000})
    assert r.status_code == 200
    err = assert_error(client.put(f"{OPPS}/{card['id']}/notes", json={"notes": "n" * 20001}), 422)
    assert "notes" in err["errors"]
    err = assert_error(client.put(f"{OPPS}/{card['id']}/notes", json={}), 422)
    assert "notes" in err["errors"]
    assert len(client.get(f"{OPPS}/{card['id']}").json["notes"]) == 20000
    r = client.put(f"{OPPS}/{card['id']}/notes", json={"notes": ""})
    assert r.status_code == 200 and r.json["notes"] == ""


def test_patch_notes_null_means_empty(client):
    card = create_opp(client, notes="x")
    r = client.patch(f"{OPPS}/{card['id']}", json={"notes": None})
    assert r.status_code == 200 and r.json["notes"] == ""
