"""Fixtures for sequences: templates, opportunities and sequences made through the API."""
from __future__ import annotations

import pytest


def make_template(client, name="Intro", subject="Hi {{domain}}", body="See {{url}}") -> int:
    r = client.post("/api/v1/templates", json={"name": name, "subject": subject, "body": body})
    assert r.status_code == 201, r.json
    return r.json["id"]


def make_opportunity(client, url="https://blog.example.org/post", **extra) -> int:
    r = client.post("/api/v1/opportunities", json={"source_url": url, **extra})
    assert r.status_code == 201, r.json
    return r.json["id"]


def make_sequence(client, template_ids, name="Drip", **step_extra) -> dict:
    steps = [{"template_id": t, **step_extra} for t in template_ids]
    r = client.post("/api/v1/sequences", json={"name": name, "steps": steps})
    assert r.status_code == 201, r.json
    return r.json


@pytest.fixture
def templates3(client) -> list[int]:
    return [make_template(client, f"T{i}", f"Step {i} for {{{{domain}}}}", f"Body {i} {{{{url}}}}")
            for i in (1, 2, 3)]
