"""Every error body with extras (429, 409, 422, 502) matches the OpenAPI `Error` schema."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.api import API, create_opp, create_template, send

DOCUMENT = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "openapi.json").read_text()
)
ERROR = DOCUMENT["components"]["schemas"]["Error"]
TYPES = {"integer": int, "string": str, "object": dict, "array": list}


def assert_documented(response, code: int, *extras: str) -> None:
    assert response.status_code == code, response.json
    for name in extras:
        assert name in response.json, response.json
    properties = ERROR["properties"]
    assert ERROR["additionalProperties"] is False
    assert set(response.json) <= set(properties), set(response.json) - set(properties)
    for name, value in response.json.items():
        if value is None:
            assert properties[name].get("nullable"), name
        else:
            assert isinstance(value, TYPES[properties[name]["type"]]), name


def test_error_bodies_with_extras_match_the_document(client, fake_sg):
    opp = create_opp(client)
    assert send(client, opp["id"], to="a@x.example").status_code == 201
    assert_documented(
        send(client, opp["id"], to="a@x.example"), 429, "limit", "retry_at", "retry_after"
    )
    assert_documented(
        client.post(f"{API}/opportunities", json={"source_url": opp["source_url"]}), 409, "id"
    )
    template = create_template(client, body="About {{anchor_text}}")
    assert_documented(
        send(client, opp["id"], to="b@x.example", template_id=template["id"]),
        422,
        "errors",
        "missing",
    )
    fake_sg.fail_next(400)
    other = create_opp(client, source_url="https://other.example/p")  # the per-prospect cooldown
    assert_documented(send(client, other["id"], to="c@x.example"), 502, "provider_status")
