"""The do-not-contact list: management API, domains covering subdomains, refusals, stops."""

from __future__ import annotations

from service.models import AuditEntry, Enrollment
from tests.support import api
from tests.support.api import API, assert_error, create_opp, send, settings
from tests.support.state import rows

LIST = f"{API}/suppressions"


def add(client, value, **extra):
    return client.post(LIST, json={"value": value, **extra})


def test_add_list_search_page_and_delete(client, app):
    r = add(client, "Someone@Example.org", note="asked by phone")
    assert r.status_code == 201, r.json
    entry = r.json
    assert {k: entry[k] for k in ("kind", "value", "reason", "note")} == {
        "kind": "email",
        "value": "someone@example.org",
        "reason": "manual",
        "note": "asked by phone",
    }
    assert entry["created_at"] and entry["id"]
    r = add(client, "@Competitor.example")
    assert r.status_code == 201 and r.json["kind"] == "domain"
    assert r.json["value"] == "competitor.example"
    for i in range(3):
        assert add(client, f"p{i}@bulk.example").status_code == 201
    page = client.get(LIST, query={"page_size": 2, "page": 2}).json
    assert page["total"] == 5 and page["page"] == 2 and len(page["items"]) == 2
    found = client.get(LIST, query={"q": "COMPETITOR"}).json
    assert [e["value"] for e in found["items"]] == ["competitor.example"]
    assert client.delete(f"{LIST}/{entry['id']}").status_code == 204
    assert client.get(LIST, query={"q": "someone"}).json["total"] == 0
    actions = [a.action for a in rows(app, AuditEntry) if a.resource_type == "suppression"]
    assert actions.count("suppression.create") == 5 and actions.count("suppression.delete") == 1


def test_bad_values_duplicates_and_reasons(client):
    for bad in ("", "not a domain", "a@b", "x@", "@", "exa mple.com@x.org", "localhost"):
        assert_error(add(client, bad), 422)
    assert add(client, "dup.example").status_code == 201
    body = assert_error(add(client, "DUP.example"), 409, "already")
    assert body["id"]
    assert_error(add(client, "x@y.example", reason="whatever"), 422)
    r = add(client, "b@y.example", reason="bounce")
    assert r.status_code == 201 and r.json["reason"] == "bounce"


def test_other_sites_and_capabilities(client, other_client):
    entry = add(client, "mine.example").json
    assert other_client.get(LIST).json["total"] == 0
    assert_error(other_client.delete(f"{LIST}/{entry['id']}"), 404)
    assert_error(client.get(LIST, caps="outreach.view"), 403, "outreach.settings")
    assert_error(client.post(LIST, json={"value": "a.example"}, caps="outreach.send"), 403)


def test_send_to_a_listed_domain_or_subdomain_is_refused_naming_why(client, fake_sg):
    settings(
        client, cooldown_hours=0
    )  # many emails on one card: the per-prospect cooldown (its own tests) would hold them
    opp = create_opp(client)["id"]
    add(client, "blocked.example")
    for to in ("anyone@blocked.example", "Deep@Mail.Sub.Blocked.example"):
        body = assert_error(send(client, opp, to=to), 422, "blocked.example")
        assert body["reason"] == "manual"
        assert "do-not-contact" in body["message"]
    assert send(client, opp, to="ok@notblocked.example").status_code == 201
    assert send(client, opp, to="ok@blocked.example.org").status_code == 201
    add(client, "one@single.example", reason="unsubscribe")
    body = assert_error(send(client, opp, to="ONE@single.example"), 422, "unsubscribed")
    assert body["reason"] == "unsubscribe"
    assert len(fake_sg.messages) == 2


def test_listing_stops_active_enrollments_and_refuses_new_ones(client, app):
    templates = [api.create_template(client, f"T{i}")["id"] for i in (1, 2)]
    seq = api.make_sequence(client, templates)["id"]
    opps = [create_opp(client, source_url=f"https://s{i}.example/p")["id"] for i in range(3)]
    targets = ["a@sub.listed.example", "b@listed.example", "c@other.example"]
    for opp, to in zip(opps, targets, strict=True):
        assert api.enroll(client, opp, seq, to=to).status_code == 201
    assert add(client, "listed.example").status_code == 201
    status = {e.to_email: (e.status, e.stop_reason) for e in rows(app, Enrollment)}
    assert status == {
        "a@sub.listed.example": ("stopped", "suppressed"),
        "b@listed.example": ("stopped", "suppressed"),
        "c@other.example": ("active", None),
    }
    late = create_opp(client, source_url="https://late.example/p")["id"]
    assert_error(api.enroll(client, late, seq, to="z@listed.example"), 422, "listed.example")


def test_unicode_and_ascii_domains_are_one_on_the_list(client, fake_sg):
    """Issue 21 #9: `xn--bcher-kva.example` blocked the ASCII form only, `anna@bücher.example`
    was sent, and Unicode values could not be listed (422)."""
    settings(client, cooldown_hours=0)
    opp = create_opp(client)["id"]
    assert add(client, "xn--bcher-kva.example").status_code == 201
    for to in ("anna@bücher.example", "anna@BÜCHER.example", "x@mail.bücher.example"):
        body = assert_error(send(client, opp, to=to), 422, "xn--bcher-kva.example")
        assert "do-not-contact" in body["message"]
    r = add(client, "Ed@Straße.example")  # UTS #46: ß stays (nontransitional), case folds
    assert r.status_code == 201 and r.json["value"] == "ed@xn--strae-oqa.example", r.json
    assert_error(send(client, opp, to="ed@xn--strae-oqa.example"), 422, "do-not-contact")
    assert add(client, "münchen.example").json["value"] == "xn--mnchen-3ya.example"
    assert_error(add(client, "xn--mnchen-3ya.example"), 409, "already")
    assert_error(send(client, opp, to="info@xn--mnchen-3ya.example"), 422, "xn--mnchen-3ya")
    assert send(client, opp, to="anna@buecher.example").status_code == 201
    assert len(fake_sg.messages) == 1


def test_listing_a_unicode_domain_stops_enrollments_typed_either_way(client, app):
    templates = [api.create_template(client, f"T{i}")["id"] for i in (1, 2)]
    seq = api.make_sequence(client, templates)["id"]
    targets = ["a@bücher.example", "b@xn--bcher-kva.example", "c@other.example"]
    for i, to in enumerate(targets):
        opp = create_opp(client, source_url=f"https://s{i}.example/p")["id"]
        assert api.enroll(client, opp, seq, to=to).status_code == 201
    assert add(client, "BÜCHER.example").status_code == 201
    status = {e.to_email: e.status for e in rows(app, Enrollment)}
    assert status == {
        "a@bücher.example": "stopped",
        "b@xn--bcher-kva.example": "stopped",
        "c@other.example": "active",
    }
