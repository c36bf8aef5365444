"""Fixtures for experiments: the fake SendGrid on a real socket, a step with variants."""

from __future__ import annotations

import pytest

from tests.support.api import API, create_opp, create_template, enroll, settings


@pytest.fixture
def app_settings(sending_app_settings):
    """Sends through the real SendGrid adapter to the fake; webhooks and Inbound Parse."""
    return sending_app_settings


@pytest.fixture
def roomy(client):
    """No limit in the way of many enrolments in one test."""
    settings(
        client,
        daily_limit=100_000,
        hourly_limit=100_000,
        domain_daily_limit=100_000,
        min_spacing_seconds=0,
    )


def ab_sequence(client, weights=(1, 1), **step) -> dict:
    """A one-step sequence whose step tests len(weights) templates."""
    ids = [
        create_template(client, f"V{i}", f"Subject {i} {{{{domain}}}}", f"Body {i}")["id"]
        for i in range(len(weights))
    ]
    variants = [{"template_id": t, "weight": w} for t, w in zip(ids, weights, strict=True)]
    r = client.post(
        f"{API}/sequences", json={"name": "AB", "steps": [{"variants": variants, **step}]}
    )
    assert r.status_code == 201, r.json
    return r.json


def enrol_cards(client, sequence_id: int, count: int, first: int = 0) -> list[dict]:
    """Enrol `count` new cards (step 1 goes at once); their enrollments."""
    out = []
    for i in range(first, first + count):
        opp = create_opp(client, f"https://site{i}.example/post")["id"]
        r = enroll(client, opp, sequence_id, to=f"editor@site{i}.example")
        assert r.status_code == 201, r.json
        out.append(r.json)
    return out
