"""Sender domains (docs/api.md §20): add one, prove it with a TXT record looked up on a
real DNS server on loopback, then send from it; other sites prove nothing for this one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.models import AuditEntry, SenderDomain
from tests.support.api import assert_error
from tests.support.dns_server import DnsServer

API = "/api/v1/sender-domains"


@pytest.fixture
def dns_server():
    server = DnsServer()
    yield server
    server.stop()


@pytest.fixture
def app_settings(dns_server):
    return {"DNS_RESOLVER": dns_server.address, "DNS_TIMEOUT": 0.5}


def add(client, domain: str) -> dict:
    response = client.post(API, json={"domain": domain})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def publish(dns_server, made: dict) -> None:
    dns_server.records[made["txt_name"]] = ["v=spf1 -all", made["txt_value"]]


def test_a_domain_is_pending_until_its_txt_record_is_seen(client, dns_server, session):
    made = add(client, "Mail.Partner.example.")
    assert made["domain"] == "mail.partner.example" and made["status"] == "pending"
    assert made["txt_name"] == "_almaseo-outreach.mail.partner.example"
    assert made["txt_value"].startswith("almaseo-outreach-verify=")
    checked = client.post(f"{API}/{made['id']}/verify").get_json()
    assert checked["status"] == "pending" and checked["checked_at"]
    assert made["txt_name"] in checked["problem"] and made["txt_value"] in checked["problem"]
    assert dns_server.queries == [made["txt_name"]]
    publish(dns_server, made)
    checked = client.post(f"{API}/{made['id']}/verify").get_json()
    assert checked["status"] == "verified" and checked["problem"] is None
    assert [d["status"] for d in client.get(API).get_json()] == ["verified"]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.resource_type == "sender_domain")
    )
    assert list(actions) == ["sender_domain.add"]


def test_from_email_at_a_domain_is_refused_until_it_is_verified(client, dns_server):
    made = add(client, "partner.example")
    refused = client.patch("/api/v1/site", json={"from_email": "anna@news.partner.example"})
    body = assert_error(refused, 422)
    assert "OUTREACH_" not in str(body)  # what a person reads names no environment variable
    publish(dns_server, made)
    client.post(f"{API}/{made['id']}/verify")
    changed = client.patch("/api/v1/site", json={"from_email": "anna@news.partner.example"})
    assert (
        changed.status_code == 200
        and changed.get_json()["from_email"] == "anna@news.partner.example"
    )
    assert client.delete(f"{API}/{made['id']}").status_code == 204
    assert_error(client.patch("/api/v1/site", json={"from_email": "bob@partner.example"}), 422)


def test_another_sites_record_proves_nothing_here(client, other_client, dns_server):
    ours, theirs = add(client, "shared.example"), add(other_client, "shared.example")
    assert ours["txt_value"] != theirs["txt_value"]
    publish(dns_server, theirs)
    assert client.post(f"{API}/{ours['id']}/verify").get_json()["status"] == "pending"
    assert_error(other_client.post(f"{API}/{ours['id']}/verify"), 404)
    assert_error(other_client.delete(f"{API}/{ours['id']}"), 404)
    assert [d["id"] for d in client.get(API).get_json()] == [ours["id"]]


def test_unicode_domains_are_kept_in_their_idna_form(client, dns_server):
    made = add(client, "bücher.example")
    assert made["domain"] == "xn--bcher-kva.example"
    assert made["txt_name"] == "_almaseo-outreach.xn--bcher-kva.example"
    assert_error(client.post(API, json={"domain": "XN--BCHER-KVA.example"}), 409)


@pytest.mark.parametrize(
    "domain",
    [
        "localhost",
        "anna@partner.example",
        "https://partner.example/",
        "-bad-.example",
        "10.0.0.1",
        "",
    ],
)
def test_what_is_not_a_domain_is_refused_and_nothing_is_stored(client, session, domain):
    assert "domain" in assert_error(client.post(API, json={"domain": domain}), 422)["errors"]
    assert session.scalar(select(SenderDomain.id)) is None


@pytest.mark.parametrize("mode", ["servfail", "silent"])
def test_a_resolver_that_does_not_answer_is_a_502_and_changes_nothing(client, dns_server, mode):
    made = add(client, "partner.example")
    publish(dns_server, made)
    dns_server.mode = mode
    body = assert_error(client.post(f"{API}/{made['id']}/verify"), 502)
    assert "DNS lookup" in body["message"]
    assert client.get(API).get_json()[0]["checked_at"] is None


def test_settings_need_the_settings_capability(client, app, site_key, clock):
    from tests.support.signed import SignedTestClient

    viewer = SignedTestClient(app.test_client(), site_key, clock, caps="outreach.view")
    assert_error(viewer.get(API), 403)
    assert_error(viewer.post(API, json={"domain": "partner.example"}), 403)
