"""Every editable card field can be changed; a refused change says why in plain words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.api import API, assert_error, create_opp

OPPS = f"{API}/opportunities"
EDITS = [
    ("source_url", "https://www.other.example.org/new-post", "https://x.example.org/"),
    ("target_url", "https://a.example/landing", None),
    ("anchor_text", "best garden tools", None),
    ("contact_email", "editor@other.example.org", None),
    ("notes", "Called on Monday.", ""),
]


@pytest.mark.parametrize(("name", "value", "cleared"), EDITS)
def test_each_editable_field_can_be_changed_and_cleared(client, name, value, cleared):
    card = create_opp(
        client,
        "https://blog.example.org/post",
        target_url="https://a.example/",
        anchor_text="tools",
        contact_email="ed@blog.example.org",
        notes="n",
    )
    r = client.patch(f"{OPPS}/{card['id']}", json={name: value})
    assert r.status_code == 200, r.json
    assert r.json[name] == value
    assert client.get(f"{OPPS}/{card['id']}").json[name] == value
    if name == "source_url":
        assert r.json["domain"] == "other.example.org"
    r = client.patch(f"{OPPS}/{card['id']}", json={name: cleared})
    assert r.status_code == 200 and r.json[name] == cleared, r.json


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"anchor_text": "a" * 501}, "Anchor text is too long: at most 500 characters."),
        ({"notes": "n" * 20001}, "Notes is too long: at most 20,000 characters."),
        (
            {"source_url": "blog.example.org/post"},
            "Source URL is not a web address: it must start with http:// or https://.",
        ),
        ({"contact_email": "not-an-email"}, "Contact email is not a valid email address."),
        ({"source_url": None}, "Source URL cannot be empty."),
        ({"status": "lost"}, "Status must be one of: new, queued, reached, won."),
    ],
)
def test_a_refused_edit_says_why_in_plain_words_and_keeps_the_detail(client, body, message):
    card = create_opp(client, "https://blog.example.org/post", anchor_text="tools")
    err = assert_error(client.patch(f"{OPPS}/{card['id']}", json=body), 422)
    assert err["message"] == message
    assert list(err["errors"]) == list(body)  # per-field detail for programs
    assert client.get(f"{OPPS}/{card['id']}").json["anchor_text"] == "tools"


def test_two_fields_wrong_are_two_sentences(client):
    err = assert_error(client.post(OPPS, json={"source_url": "x", "anchor_text": "a" * 600}), 422)
    assert "Source URL is not a web address" in err["message"]
    assert "Anchor text is too long: at most 500 characters." in err["message"]


def test_the_openapi_document_states_each_card_field_limit():
    spec = json.loads((Path(__file__).resolve().parents[2] / "schemas/openapi.json").read_text())
    for schema in ("Opportunity", "OpportunityPatch"):
        props = spec["components"]["schemas"][schema]["properties"]
        limits = {
            name: props[name].get("maxLength")
            for name in ("source_url", "target_url", "anchor_text", "contact_email", "notes")
        }
        assert limits == {
            "source_url": 2000,
            "target_url": 2000,
            "anchor_text": 500,
            "contact_email": 320,
            "notes": 20000,
        }, (schema, limits)
