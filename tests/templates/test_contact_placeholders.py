"""contact_name, {{contact_name}}, {{first_name}}, {{site_name}} and fallbacks."""

from __future__ import annotations

from service.domain.templates import rendering
from tests.support.api import API, create_opp, preview


def test_fallback_fills_an_empty_value_and_is_not_missing():
    out = rendering.render("Hi {{ first_name | there }}", "For {{site_name}}", {"first_name": ""})
    assert out.subject == "Hi there" and out.missing == ["site_name"]
    out = rendering.render("Hi {{first_name|there}}", "x", {"first_name": "Jane"})
    assert out.subject == "Hi Jane" and out.missing == []


def test_a_use_without_fallback_is_still_missing():
    out = rendering.render("{{first_name|there}}", "{{first_name}}", {})
    assert out.missing == ["first_name"] and out.subject == "there"


def test_fallback_is_escaped_in_html():
    out = rendering.render("s", "<p>Hi {{first_name|<b>you</b>}}</p>", {})
    assert "&lt;b&gt;you&lt;/b&gt;" in out.html


def test_contact_name_on_cards_and_in_previews(client):
    opp = create_opp(client, contact_name="Jane van Dijk")
    assert opp["contact_name"] == "Jane van Dijk"
    [on_board] = client.get(f"{API}/board").json["columns"]["new"]
    assert on_board["contact_name"] == "Jane van Dijk" and on_board["unread_replies"] == 0
    shown = preview(
        client, "Hi {{first_name}}", "Dear {{contact_name}}, {{site_name}} here.", opp["id"]
    ).json
    assert shown["subject"] == "Hi Jane" and shown["missing"] == []
    assert "Dear Jane van Dijk, Site A here." in shown["text"]
    r = client.patch(f"{API}/opportunities/{opp['id']}", json={"contact_name": None})
    assert r.status_code == 200 and r.json["contact_name"] is None
    shown = preview(client, "Hi {{first_name|there}}", "{{first_name}}", opp["id"]).json
    assert shown["subject"] == "Hi there" and shown["missing"] == ["first_name"]


def test_contact_name_is_validated(client):
    opp = create_opp(client)
    for bad in ("x" * 201, "Jane\nBcc: x@y.example"):
        r = client.patch(f"{API}/opportunities/{opp['id']}", json={"contact_name": bad})
        assert r.status_code == 422 and "contact_name" in r.json["errors"]


def test_templates_accept_the_new_placeholders(client):
    body = "Hi {{first_name|there}}, {{contact_name}} of {{site_name}}"
    r = client.post(f"{API}/templates", json={"name": "n", "subject": "s", "body": body})
    assert r.status_code == 201, r.json
    r = client.post(
        f"{API}/templates", json={"name": "n", "subject": "{{last_name|x}}", "body": "b"}
    )
    assert r.status_code == 422


def test_a_template_edited_for_one_send_goes_as_edited(client):
    opp = create_opp(client, contact_name="Jane Doe")
    tpl = client.post(
        f"{API}/templates", json={"name": "t", "subject": "Hi {{first_name}}", "body": "Stock"}
    ).json
    r = client.post(
        f"{API}/opportunities/{opp['id']}/emails",
        json={
            "to": "jane@p.example",
            "template_id": tpl["id"],
            "subject": "Hi {{first_name}}!",
            "body": "Personal note for {{contact_name}}",
        },
    )
    assert r.status_code == 201, r.json
    assert r.json["subject"] == "Hi Jane!" and r.json["template_id"] == tpl["id"]
