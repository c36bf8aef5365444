"""GET|PATCH /api/v1/site: the calling site's settings (cap outreach.settings)."""

from __future__ import annotations

import pytest

from tests.support.api import API, assert_error

SITE = f"{API}/site"


def test_a_new_site_reads_its_default_settings(client, site_key):
    r = client.get(SITE)
    assert r.status_code == 200
    body = r.json
    assert body["id"] == site_key.site_id and body["name"] == "Site A"
    assert body["daily_limit"] == 100 and body["cooldown_hours"] == 24
    assert body["timezone"] == "UTC"
    for field in ("from_email", "from_name", "reply_to"):
        assert body[field] is None
    assert "secret" not in str(body).lower()


def test_patch_every_field(client):
    changes = {
        "name": "Renamed",
        "daily_limit": 0,
        "cooldown_hours": 1.5,
        "from_email": "me@a.example",
        "from_name": "Me",
        "reply_to": "r@a.example",
        "timezone": "Europe/Madrid",
    }
    r = client.patch(SITE, json=changes)
    assert r.status_code == 200, r.json
    for key, value in changes.items():
        assert r.json[key] == value
    assert client.get(SITE).json == r.json


def test_patch_is_partial_and_fractional(client):
    r = client.patch(SITE, json={"cooldown_hours": 0.25})
    assert r.status_code == 200 and r.json["cooldown_hours"] == 0.25
    assert r.json["daily_limit"] == 100
    r = client.patch(SITE, json={"cooldown_hours": 0})
    assert r.json["cooldown_hours"] == 0
    r = client.patch(SITE, json={"from_email": "x@a.example"})
    r = client.patch(SITE, json={"from_email": None})
    assert r.status_code == 200 and r.json["from_email"] is None


@pytest.mark.parametrize(
    "body,field",
    [
        ({"daily_limit": -1}, "daily_limit"),
        ({"daily_limit": 1.5}, "daily_limit"),
        ({"daily_limit": "many"}, "daily_limit"),
        ({"cooldown_hours": -0.5}, "cooldown_hours"),
        ({"cooldown_hours": "soon"}, "cooldown_hours"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"from_email": "not-an-email"}, "from_email"),
        ({"reply_to": "x"}, "reply_to"),
        ({"name": ""}, "name"),
        ({"id": 2}, "id"),
        ({"url": "https://evil.example"}, "url"),
    ],
)
def test_an_invalid_setting_is_422_and_changes_nothing(client, body, field):
    err = assert_error(client.patch(SITE, json=body), 422)
    assert field in err["errors"], err
    assert client.get(SITE).json["daily_limit"] == 100


def test_needs_settings_capability(client):
    view_only = "outreach.view,outreach.edit,outreach.delete,outreach.send,outreach.templates"
    assert_error(client.get(SITE, caps=view_only), 403, "outreach.settings")
    assert_error(
        client.patch(SITE, json={"daily_limit": 1}, caps=view_only), 403, "outreach.settings"
    )
    assert client.get(SITE, caps="outreach.settings").status_code == 200
    assert client.get(SITE).json["daily_limit"] == 100
