"""The endpoints API (docs/api.md §17): the secret once, CRUD, the log, the test ping."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from service.models import AuditEntry, WebhookEndpoint
from tests.outbound_hooks.conftest import add_hook
from tests.support.api import assert_error

API = "/api/v1/webhooks"


def test_create_shows_the_secret_once_and_stores_it_sealed(client, receiver, session):
    made = add_hook(client, receiver.plan("a"), ["opportunity.created"], format="standard")
    secret = made["secret"]
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    assert made["active"] is True and made["disabled_reason"] is None
    assert made["events"] == ["opportunity.created"] and made["format"] == "standard"
    listed = client.get(API).get_json()
    assert [h["id"] for h in listed] == [made["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in client.get(f"{API}/{made['id']}").get_json()
    stored = session.scalar(select(WebhookEndpoint.secret_stored))
    assert stored.startswith("fernet:") and secret not in stored
    audit = session.scalars(select(AuditEntry).where(AuditEntry.resource_type == "webhook"))
    assert [a.action for a in audit] == ["webhook.create"]
    assert secret[6:] not in str([a.changes for a in audit])


def test_update_and_delete(client, receiver, session):
    made = add_hook(client, receiver.plan("a"))
    path = f"{API}/{made['id']}"
    changed = client.patch(
        path, json={"events": ["link.won", "link.won"], "format": "slack", "active": False}
    ).get_json()
    assert changed["events"] == ["link.won"] and changed["format"] == "slack"
    assert changed["active"] is False
    session.execute(WebhookEndpoint.__table__.update().values(disabled_reason="Failed for 3 days"))
    session.commit()
    again = client.patch(path, json={"active": True}).get_json()
    assert again["active"] is True and again["disabled_reason"] is None
    assert client.delete(path).status_code == 204
    assert_error(client.get(path), 404)
    assert client.get(API).get_json() == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "ftp://x.example/h", "events": ["link.won"]}, "url"),
        ({"url": "https://x.example/h", "events": ["card.eaten"]}, "events"),
        ({"url": "https://x.example/h", "events": []}, "events"),
        ({"url": "https://x.example/h"}, "events"),
        ({"url": "https://x.example/h", "events": ["link.won"], "format": "teams"}, "format"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(client, body, field):
    answer = assert_error(client.post(API, json=body), 422)
    assert field in str(answer)
    assert client.get(API).get_json() == []


def test_other_sites_endpoints_are_invisible(client, other_client, receiver):
    made = add_hook(client, receiver.plan("a"))
    assert other_client.get(API).get_json() == []
    assert_error(other_client.get(f"{API}/{made['id']}"), 404)
    assert_error(other_client.delete(f"{API}/{made['id']}"), 404)


def test_test_ping_is_signed_and_logged(client, receiver):
    made = add_hook(client, receiver.plan("ok"))
    answer = client.post(f"{API}/{made['id']}/test")
    assert answer.status_code == 200
    attempt = answer.get_json()
    assert attempt["event_type"] == "ping" and attempt["status_code"] == 200
    assert attempt["error"] is None and attempt["attempt"] == 1
    (got,) = receiver.at("ok")
    event = got.verified(made["secret"])
    assert event["type"] == "ping" and event["data"]["webhook_id"] == made["id"]
    assert got.webhook_id == attempt["webhook_id"]
    log = client.get(f"{API}/{made['id']}/deliveries").get_json()
    assert log["total"] == 1 and log["items"][0]["webhook_id"] == attempt["webhook_id"]


def test_test_ping_to_a_failing_endpoint_answers_200_with_the_failure(client, receiver):
    made = add_hook(client, receiver.plan("down", [503]))
    attempt = client.post(f"{API}/{made['id']}/test").get_json()
    assert attempt["status_code"] == 503 and attempt["error"] == "HTTP 503"
    slow = add_hook(client, receiver.plan("slow", delay=3))
    attempt = client.post(f"{API}/{slow['id']}/test").get_json()
    assert attempt["status_code"] is None and "timed out" in attempt["error"]
    assert attempt["duration_ms"] < 2500


def test_slack_format_ping_posts_text(client, receiver):
    made = add_hook(client, receiver.plan("slack"), format="slack")
    client.post(f"{API}/{made['id']}/test")
    (got,) = receiver.at("slack")
    assert set(got.json()) == {"text"} and "Test notification" in got.json()["text"]
