"""docs/api.md §18: a manual send may rotate between templates ("A/B: rotate")."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.models import Email
from tests.support.api import API, create_opp, create_template


def _send(client, i, **body):
    opp = create_opp(client, f"https://m{i}.example/post")["id"]
    return client.post(
        f"{API}/opportunities/{opp}/emails", json={"to": f"editor@m{i}.example", **body}
    )


def test_sends_in_turn_alternate_between_the_templates(client, roomy, sendgrid):
    a, b, c = (create_template(client, f"R{i}", f"Rotate {i}", "Hi")["id"] for i in range(3))
    got = []
    for i in range(6):
        r = _send(client, i, rotate_template_ids=[a, b, c])
        assert r.status_code == 201, r.json
        got.append((r.json["template_id"], r.json["variant"], r.json["subject"]))
    assert [g[0] for g in got] == [a, b, c, a, b, c]
    assert [g[1] for g in got] == [0, 1, 2, 0, 1, 2]
    assert got[1][2] == "Rotate 1"
    # A send of one of them by hand counts too: b is now ahead, so a and c go first.
    assert _send(client, 6, template_id=b).status_code == 201
    turns = [_send(client, i, rotate_template_ids=[a, b, c]).json["template_id"] for i in (7, 8)]
    assert turns == [a, c]


@pytest.mark.parametrize(
    "extra",
    [
        {"template_id": 1},
        {"subject": "S", "body": "B"},
    ],
)
def test_rotate_with_a_template_or_text_is_a_422(client, roomy, sendgrid, extra):
    a, b = (create_template(client, f"R{i}")["id"] for i in range(2))
    r = _send(client, 0, rotate_template_ids=[a, b], **extra)
    assert r.status_code == 422, r.json


def test_rotate_needs_two_to_five_of_the_sites_templates(
    client, other_client, roomy, sendgrid, session
):
    a = create_template(client)["id"]
    theirs = create_template(other_client)["id"]
    assert _send(client, 0, rotate_template_ids=[a]).status_code == 422
    r = _send(client, 1, rotate_template_ids=[a, theirs])
    assert r.status_code == 422 and "rotate_template_ids" in str(r.json)
    assert session.scalar(select(func.count(Email.id))) == 0  # nothing stored
