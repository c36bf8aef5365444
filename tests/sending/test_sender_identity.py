"""Sender identity (docs/api.md, deliverability): the sender is bound to the site's domain;
names and subjects are one header line (finding 6)."""

from __future__ import annotations

import pytest

from service.domain.sending import sender_identity
from service.domain.templates.rendering import render
from service.models import Site
from tests.support.api import API, assert_error, create_opp, create_template

SITE = f"{API}/site"
CONTROLS = [
    "B Corp\r\nBcc: victim@x.example",
    "a\nb",
    "a\rb",
    "nul\x00",
    "esc\x1b[0m",
    "del\x7f",
    "nel\x85",
    "line\u2028sep",
    "para\u2029sep",
]


@pytest.mark.parametrize(
    "address",
    [
        "ceo@other-tenant.example",
        "me@b.example",
        "me@a.example.evil.example",
        "me@example",
        "me@xa.example",
    ],
)
def test_sender_at_another_domain_is_422(client, address):
    err = assert_error(client.patch(SITE, json={"from_email": address, "from_name": "New"}), 422)
    assert list(err["errors"]) == ["from_email"]
    site = client.get(SITE).json
    assert site["from_email"] is None and site["from_name"] is None  # nothing changed


@pytest.mark.parametrize("address", ["me@a.example", "Me@A.Example", "news@mail.a.example"])
def test_sender_at_the_sites_domain_or_a_subdomain(client, address):
    r = client.patch(SITE, json={"from_email": address})
    assert r.status_code == 200, r.json
    assert client.patch(SITE, json={"from_email": None}).json["from_email"] is None


def test_sender_domains_from_configuration(app, client):
    assert_error(client.patch(SITE, json={"from_email": "team@brand.example"}), 422)
    app.config["SENDER_DOMAINS"] = ("brand.example", "other.example")
    assert client.patch(SITE, json={"from_email": "team@brand.example"}).status_code == 200
    assert client.patch(SITE, json={"from_email": "x@eu.other.example"}).status_code == 200
    assert_error(client.patch(SITE, json={"from_email": "x@third.example"}), 422)


@pytest.mark.parametrize("value", CONTROLS)
@pytest.mark.parametrize("field", ["from_name", "name"])
def test_control_characters_in_names_are_422(client, field, value):
    err = assert_error(client.patch(SITE, json={field: value}), 422)
    assert list(err["errors"]) == [field]
    assert client.get(SITE).json["name"] == "Site A"


def test_reply_to_with_a_line_break_is_422(client):
    assert_error(client.patch(SITE, json={"reply_to": "r@a.example\r\nBcc: v@x.example"}), 422)
    assert client.get(SITE).json["reply_to"] is None


def test_a_tab_is_header_whitespace(client):
    r = client.patch(SITE, json={"from_name": "Alma\tSEO"})
    assert r.status_code == 200 and r.json["from_name"] == "Alma\tSEO"


@pytest.mark.parametrize("value", CONTROLS[:4] + CONTROLS[-1:])
def test_control_characters_in_subjects_are_422(client, value):
    tpl = f"{API}/templates"
    assert list(
        assert_error(client.post(tpl, json={"name": "T", "subject": value, "body": "b"}), 422)[
            "errors"
        ]
    ) == ["subject"]
    t = create_template(client)
    assert_error(client.patch(f"{tpl}/{t['id']}", json={"subject": value}), 422)
    assert client.get(f"{tpl}/{t['id']}").json["subject"] == t["subject"]
    assert_error(client.post(f"{tpl}/preview", json={"subject": value, "body": "b"}), 422)
    opp = create_opp(client)
    err = assert_error(
        client.post(
            f"{API}/opportunities/{opp['id']}/emails",
            json={"to": "x@blog.example.org", "subject": value, "body": "b"},
        ),
        422,
    )
    assert "subject" in err["errors"]
    assert client.get(f"{API}/opportunities/{opp['id']}/emails").json == []


def test_filled_values_never_break_the_subject_line():
    rendered = render("About {{anchor_text}}", "b", {"anchor_text": "a\x00b\u2028c\r\nBcc: x"})
    assert rendered.subject == "About a b c  Bcc: x"


@pytest.mark.parametrize(
    "url,sender",
    [
        ("https://a.example", "outreach@a.example"),
        ("https://www.A.Example/x", "outreach@a.example"),
        ("http://127.0.0.1:8080", "outreach@localhost"),
        ("http://localhost:8080", "outreach@localhost"),
        ("http://[::1]:8080", "outreach@localhost"),
        ("", "outreach@localhost"),
    ],
)
def test_the_default_sender_is_at_the_sites_own_domain(url, sender):
    assert sender_identity.default_sender(Site(url=url)) == sender
