"""Outbound webhooks end to end (docs/api.md §17): a Slack-format endpoint hears a card
move with the card's wp-admin link, and that link opens the card in wp-admin."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e import helpers as ui
from tests.support.hook_receiver import HookReceiver


@pytest.fixture
def receiver():
    made = HookReceiver()
    yield made
    made.stop()


def test_a_slack_notification_links_to_the_card_and_opens_it(board, api, stack, receiver):
    made = api.post(
        "/api/v1/webhooks",
        json={"url": receiver.plan("slack"), "events": ["opportunity.moved"], "format": "slack"},
    )
    assert made.status_code == 201, made.text
    try:
        opp = ui.seed(api)
        moved = api.post(f"/api/v1/opportunities/{opp['id']}/move", json={"status": "won"})
        assert moved.status_code == 200, moved.text
        (got,) = receiver.wait_count("slack", 1, timeout=60)  # the stack's scheduler sent it
        text = got.json()["text"]
        assert f"Opportunity moved to Won: {opp['source_url']}" in text
        link = re.search(r"<(\S+)\|Open card>", text).group(1)
        parts = urlsplit(link)
        assert parts.path == "/wp-admin/admin.php"
        assert parts.query == f"page=almaseo-outreach&card={opp['id']}"
        # The site is registered as http://127.0.0.1; WordPress listens on its own port.
        board.goto(f"{stack.wp_url}{parts.path}?{parts.query}")
        board.wait_for_selector("#ao-app.is-ready")
        panel = ui.modal(board, "card")
        ui.expect(panel).to_be_visible()
        ui.expect(panel).to_contain_text(opp["domain"])
    finally:
        api.delete(f"/api/v1/webhooks/{made.json()['id']}")


def test_the_integrations_screen_adds_tests_and_deletes_an_endpoint(
    board, api, stack, receiver, viewer_context
):
    board.locator("#adminmenu a[href$='page=almaseo-outreach-integrations']").click()
    panel = board.locator('#ao-integrations-app [data-panel="webhooks"]')
    ui.field(panel, "url").fill(receiver.plan("screen"))
    panel.locator(".ao-webhook-event input[value='email.sent']").uncheck()
    panel.locator(".ao-webhook-add").click()
    secret = panel.locator(".ao-webhook-secret")
    ui.expect(secret).to_have_text(re.compile(r"^whsec_"))
    ui.expect(panel.locator(".ao-webhook-copy")).to_be_visible()
    row = panel.locator(".ao-webhook", has_text=receiver.url)
    ui.expect(row).to_contain_text("(standard)")
    (made,) = api.get("/api/v1/webhooks").json()
    assert "email.sent" not in made["events"] and len(made["events"]) == 8
    row.locator(".ao-webhook-test").click()
    ui.expect(row.locator(".ao-webhook-attempt")).to_contain_text("ping #1: HTTP 200")
    (got,) = receiver.at("screen")
    assert got.verified(secret.inner_text())["type"] == "ping"  # the secret shown once
    board.reload()
    ui.expect(board.locator(".ao-webhook-secret")).to_have_count(0)  # never shown again
    row = board.locator(".ao-webhook", has_text=receiver.url)
    row.locator(".ao-webhook-delete").click()
    ui.expect(row).to_have_count(0)
    assert api.get("/api/v1/webhooks").json() == []
    assert ui.admin_page_status(viewer_context, stack, "almaseo-outreach-integrations") == 403
