"""Capabilities on every /api/v1 route: each view declares one, and it is enforced."""

from __future__ import annotations

import pytest

from service.api.auth import CAPABILITIES, UNSIGNED_PATHS
from tests.support.api import API, assert_error, create_opp, create_template
from tests.support.signed import ALL_CAPS

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Reads that need more than outreach.view: the settings, and the addresses of the
# do-not-contact list (who unsubscribed or complained).
SETTINGS_READS = {"/api/v1/site", "/api/v1/suppressions", "/api/v1/audit"}
# Outbound webhooks (docs/api.md §17): their URLs and delivery log are settings.
SETTINGS_READS |= {
    "/api/v1/webhooks",
    "/api/v1/webhooks/<int:webhook_id>",
    "/api/v1/webhooks/<int:webhook_id>/deliveries",
}
SETTINGS_READS |= {"/api/v1/sender-domains"}  # docs/api.md §20: cap outreach.settings
SETTINGS_READS |= {"/api/v1/activity"}  # docs/api.md §21: the audit trail, worded
SETTINGS_READS |= {"/api/v1/mailboxes", "/api/v1/mailboxes/<int:mailbox_id>"}  # §15

# What docs/api.md ("Capabilities") pins down for the core routes.
EXPECTED = {
    ("GET", "/api/v1/board"): "outreach.view",
    ("GET", "/api/v1/opportunities"): "outreach.view",
    ("POST", "/api/v1/opportunities"): "outreach.edit",
    ("GET", "/api/v1/opportunities/<int:opportunity_id>"): "outreach.view",
    ("PATCH", "/api/v1/opportunities/<int:opportunity_id>"): "outreach.edit",
    ("DELETE", "/api/v1/opportunities/<int:opportunity_id>"): "outreach.delete",
    ("POST", "/api/v1/opportunities/<int:opportunity_id>/move"): "outreach.edit",
    ("PUT", "/api/v1/opportunities/<int:opportunity_id>/notes"): "outreach.edit",
    ("GET", "/api/v1/templates"): "outreach.view",
    ("POST", "/api/v1/templates"): "outreach.templates",
    ("GET", "/api/v1/templates/<int:template_id>"): "outreach.view",
    ("PATCH", "/api/v1/templates/<int:template_id>"): "outreach.templates",
    ("DELETE", "/api/v1/templates/<int:template_id>"): "outreach.templates",
    ("GET", "/api/v1/site"): "outreach.settings",
    ("PATCH", "/api/v1/site"): "outreach.settings",
    ("GET", "/api/v1/audit"): "outreach.settings",
    ("POST", "/api/v1/opportunities/import"): "outreach.edit",
    ("GET", "/api/v1/opportunities/export"): "outreach.view",
    ("GET", "/api/v1/webhooks"): "outreach.settings",
    ("POST", "/api/v1/webhooks"): "outreach.settings",
    ("PATCH", "/api/v1/webhooks/<int:webhook_id>"): "outreach.settings",
    ("DELETE", "/api/v1/webhooks/<int:webhook_id>"): "outreach.settings",
    ("POST", "/api/v1/webhooks/<int:webhook_id>/test"): "outreach.settings",
    ("GET", "/api/v1/sender-domains"): "outreach.settings",
    ("POST", "/api/v1/sender-domains"): "outreach.settings",
    ("DELETE", "/api/v1/sender-domains/<int:domain_id>"): "outreach.settings",
    ("POST", "/api/v1/sender-domains/<int:domain_id>/verify"): "outreach.settings",
    # docs/api.md §19: reads outreach.view (the board's picker), changes outreach.edit
    ("GET", "/api/v1/projects"): "outreach.view",
    ("POST", "/api/v1/projects"): "outreach.edit",
    ("PATCH", "/api/v1/projects/<int:project_id>"): "outreach.edit",
    ("DELETE", "/api/v1/projects/<int:project_id>"): "outreach.edit",
    ("GET", "/api/v1/mailboxes"): "outreach.settings",
    ("POST", "/api/v1/mailboxes"): "outreach.settings",
    ("PATCH", "/api/v1/mailboxes/<int:mailbox_id>"): "outreach.settings",
    ("DELETE", "/api/v1/mailboxes/<int:mailbox_id>"): "outreach.settings",
    ("POST", "/api/v1/mailboxes/<int:mailbox_id>/test"): "outreach.settings",
    # docs/api.md §20: a person's own saved board views need only to see the board
    ("GET", "/api/v1/views"): "outreach.view",
    ("POST", "/api/v1/views"): "outreach.view",
    ("DELETE", "/api/v1/views/<int:view_id>"): "outreach.view",
}


def api_routes(app):
    """(method, rule, view method) for every signed /api/v1 route."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in UNSIGNED_PATHS:
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods & set(METHODS)):
            cls = getattr(view, "view_class", None)
            func = getattr(cls, method.lower()) if cls else view
            found.append((method, rule, func))
    return found


def url_for_rule(app, rule, ids):
    adapter = app.url_map.bind("localhost")
    return adapter.build(
        rule.endpoint, {a: ids.get(a, 999999) for a in rule.arguments}, method=None
    )


def test_every_route_declares_a_known_capability(app):
    routes = api_routes(app)
    assert len(routes) >= len(EXPECTED)
    for method, rule, func in routes:
        cap = getattr(func, "required_capability", None)
        assert cap in CAPABILITIES, f"{method} {rule.rule} has no @requires capability"
        if method == "GET":
            wanted = "outreach.settings" if rule.rule in SETTINGS_READS else "outreach.view"
            assert cap == wanted, f"GET {rule.rule} needs {wanted}, declares {cap}"


def test_core_routes_use_the_contract_capability(app):
    declared = {(m, r.rule): getattr(f, "required_capability", None) for m, r, f in api_routes(app)}
    for route, cap in EXPECTED.items():
        assert declared.get(route) == cap, route


def test_every_route_enforces_its_capability(app, client):
    opp = create_opp(client)
    tpl = create_template(client)
    ids = {"opportunity_id": opp["id"], "template_id": tpl["id"]}
    for method, rule, func in api_routes(app):
        cap = func.required_capability
        path = url_for_rule(app, rule, ids)
        body = {} if method in ("POST", "PUT", "PATCH") else None
        without = ",".join(c for c in ALL_CAPS.split(",") if c != cap)
        r = client.request(method, path, json=body, caps=without)
        err = assert_error(r, 403, cap)
        assert err["status"] == "Forbidden"
        r = client.request(method, path, json=body, caps=cap)
        assert r.status_code != 403, (method, path, r.get_json())
        assert r.status_code != 401, (method, path, r.get_json())
    # The 403s changed nothing; only an allowed DELETE could have removed these.
    assert client.get(f"{API}/board").status_code == 200


@pytest.mark.parametrize("caps", ["", "outreach.edit", "outreach.view2", "outreach"])
def test_lookalike_caps_do_not_grant_view(client, caps):
    assert_error(client.get(f"{API}/board", caps=caps), 403, "outreach.view")


def test_view_alone_cannot_write(viewer, client):
    opp = create_opp(client)
    assert_error(
        viewer.post(f"{API}/opportunities", json={"source_url": "https://x.example/"}),
        403,
        "outreach.edit",
    )
    assert_error(viewer.delete(f"{API}/opportunities/{opp['id']}"), 403, "outreach.delete")
    assert_error(
        viewer.post(f"{API}/opportunities/{opp['id']}/move", json={"status": "won"}),
        403,
        "outreach.edit",
    )
    assert_error(viewer.get(f"{API}/site"), 403, "outreach.settings")
    assert viewer.get(f"{API}/opportunities/{opp['id']}").json["status"] == "new"


def test_edit_without_view_can_create_but_not_read(client):
    r = client.post(
        f"{API}/opportunities", json={"source_url": "https://e.example/"}, caps="outreach.edit"
    )
    assert r.status_code == 201
    assert_error(
        client.get(f"{API}/opportunities/{r.json['id']}", caps="outreach.edit"),
        403,
        "outreach.view",
    )


def test_403_is_checked_before_validation_and_lookup(client):
    r = client.post(
        f"{API}/opportunities/424242/move", json={"status": "nope"}, caps="outreach.view"
    )
    assert_error(r, 403, "outreach.edit")
