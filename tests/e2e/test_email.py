"""Templates, sending, live statuses from signed webhooks, history, limits and sequences."""

from __future__ import annotations

import re

import pytest

from tests.e2e import helpers as ui


@pytest.fixture(scope="module")
def template(api, sender):
    body = "Hi,\n\nI liked {{url}}. Would {{target_url}} fit there?\n\nThanks"
    return ui.make_template(api, ui.unique("Pitch"), "About {{domain}}", body)


def send_from_ui(page, opp, to, template_name=None):
    dialog = ui.card_dialog(page, opp["id"], "send")
    ui.expect(ui.field(dialog, "template_id").locator("option")).not_to_have_count(1)
    if template_name:
        ui.field(dialog, "template_id").select_option(label=template_name)
    ui.field(dialog, "to").fill(to)
    dialog.locator(".ao-send").click()
    return dialog


def test_create_template_in_the_modal(board, api):
    name = ui.unique("Follow-up")
    board.click(".ao-open-templates")
    dialog = ui.modal(board, "templates")
    dialog.locator(".ao-new-template").click()
    ui.field(dialog, "name").fill(name)
    ui.field(dialog, "subject").fill("Quick note about {{bogus}}")
    ui.field(dialog, "body").fill("Hello from {{domain}}")
    dialog.locator(".ao-save-template").click()
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("placeholder")
    ui.expect(ui.field(dialog, "body")).to_have_value("Hello from {{domain}}")  # kept as typed
    ui.field(dialog, "subject").fill("Quick note about {{domain}}")
    dialog.locator(".ao-save-template").click()
    ui.expect(dialog.locator(".ao-library-item", has_text=name)).to_be_visible()
    names = [t["name"] for t in api.get("/api/v1/templates").json()]
    assert name in names

    row = dialog.locator(".ao-library-item", has_text=name)
    row.locator(".ao-edit").click()
    ui.expect(ui.field(dialog, "subject")).to_have_value("Quick note about {{domain}}")
    ui.field(dialog, "subject").fill("Edited note for {{domain}}")
    dialog.locator(".ao-preview-button").last.click()
    ui.expect(dialog.locator(".ao-preview-text")).to_contain_text("Edited note for")
    dialog.locator(".ao-save-template").click()
    ui.expect(row).to_contain_text("Edited note for {{domain}}")
    row.locator(".ao-delete").click()
    ui.expect(row).to_have_count(0)
    assert name not in [t["name"] for t in api.get("/api/v1/templates").json()]


def test_send_moves_card_to_reached_with_sent_then_webhooks_update_it_live(
    board, api, template, stack, fake_sendgrid
):
    opp = ui.seed(api, target_url="https://almaseo.example/tools", anchor_text="tools")
    to = f"{ui.unique('editor')}@example.org"
    ui.reload(board)
    dialog = send_from_ui(board, opp, to, template["name"])
    ui.expect(dialog).to_have_count(0)
    ui.expect_in_column(board, opp["id"], "reached")
    status = ui.card(board, opp["id"]).locator(".ao-email-status")
    ui.expect(status).to_have_text("Sent")
    message = ui.sent_message(fake_sendgrid, to)
    assert message["request"]["subject"] == f"About {opp['domain']}"
    marker = board.evaluate("() => (window.__marker = Math.random())")
    hook = stack.service_url + "/sendgrid/webhook"
    assert fake_sendgrid.post_events(hook, [fake_sendgrid.event(message, "delivered")]).ok
    ui.expect(status).to_have_text("Delivered", timeout=10000)
    assert fake_sendgrid.post_events(hook, [fake_sendgrid.event(message, "open")]).ok
    ui.expect(status).to_have_text("Opened", timeout=10000)
    ui.expect(status).to_have_css("background-color", "rgb(0, 112, 23)")  # AA: 6.3:1 with white
    assert fake_sendgrid.post_events(hook, [fake_sendgrid.event(message, "click")]).ok
    ui.expect(status).to_have_text("Clicked", timeout=10000)
    ui.expect(status).to_have_css("background-color", "rgb(34, 113, 177)")
    assert board.evaluate("() => window.__marker") == marker  # never reloaded
    ui.expect(board.locator('[data-metric="total_sent"] .ao-metric-value')).not_to_have_text("0")

    history = ui.card_dialog(board, opp["id"], "history")
    events = history.locator(".ao-event")
    ui.expect(events.first).to_contain_text("Sent")
    types = events.evaluate_all("ns => ns.map(n => n.dataset.type)")
    assert types[0] == "sent" and {"delivered", "open", "click"} <= set(types), types
    ui.expect(history.locator('.ao-event[data-type="open"] .ao-event-type')).to_have_text("Opened")
    ui.expect(history.locator(".ao-email-to")).to_contain_text(to)
    history.locator(".ao-mark-replied").click()
    ui.expect(history).to_have_count(0)
    ui.expect(status).to_have_text("Replied")
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["email_status"] == "replied"


def test_bounce_shows_red_badge(board, api, template, stack, fake_sendgrid):
    opp = ui.seed(api, target_url="https://almaseo.example/b")
    to = f"{ui.unique('gone')}@example.org"
    response = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails", json={"to": to, "template_id": template["id"]}
    )
    assert response.status_code == 201, response.text
    message = ui.sent_message(fake_sendgrid, to)
    fake_sendgrid.post_events(
        stack.service_url + "/sendgrid/webhook", [fake_sendgrid.event(message, "bounce")]
    )
    status = ui.card(board, opp["id"]).locator(".ao-email-status")
    ui.expect(status).to_have_text("Bounced", timeout=10000)
    ui.expect(status).to_have_css("background-color", "rgb(179, 45, 46)")  # AA with white


def test_custom_email_preview_then_send(board, api, sender):
    opp = ui.seed(api, anchor_text="preview me")
    ui.reload(board)
    dialog = ui.card_dialog(board, opp["id"], "send")
    ui.expect(ui.field(dialog, "template_id").locator("option")).not_to_have_count(1)
    ui.field(dialog, "template_id").select_option("")
    ui.field(dialog, "subject").fill("Hello {{domain}}")
    ui.field(dialog, "body").fill("Saw {{url}} and {{target_url}}")
    dialog.locator(".ao-preview-button").click()
    ui.expect(dialog.locator(".ao-preview-subject")).to_contain_text(f"Hello {opp['domain']}")
    ui.expect(dialog.locator(".ao-preview-missing")).to_contain_text("target_url")
    ui.field(dialog, "body").fill("Saw {{url}}")
    ui.field(dialog, "to").fill(f"{ui.unique('custom')}@example.org")
    dialog.locator(".ao-send").click()
    ui.expect(dialog).to_have_count(0)
    ui.expect(ui.card(board, opp["id"]).locator(".ao-email-status")).to_have_text("Sent")


def test_daily_cap_shows_when_the_next_email_can_go(board, api, template):
    sent = api.get("/api/v1/metrics").json()["total_sent"]
    assert api.patch("/api/v1/site", json={"daily_limit": sent}).status_code == 200
    try:
        opp = ui.seed(api, target_url="https://almaseo.example/cap")
        ui.reload(board)
        to = f"{ui.unique('capped')}@example.org"
        dialog = send_from_ui(board, opp, to, template["name"])
        error = dialog.locator(".ao-modal-error")
        ui.expect(error).to_contain_text("Daily limit")
        ui.expect(error).to_contain_text("the next email can go at")
        # One time, named in the site's time zone; never a second, local one beside it.
        assert len(re.findall(r"\d{2}:\d{2}", error.inner_text())) == 1, error.inner_text()
        ui.expect(error).not_to_contain_text("your time")
        ui.expect(ui.field(dialog, "to")).to_have_value(to)  # nothing typed is lost
        ui.expect_in_column(board, opp["id"], "new")
        raw = board.evaluate(
            """async ([id, to, tpl]) => {
                const url = '/wp-json/almaseo-outreach/v1/opportunities/' + id + '/emails';
                const r = await fetch(url,
                    {method: 'POST', headers: {'Content-Type': 'application/json',
                     'X-WP-Nonce': wp.apiFetch.nonceMiddleware.nonce},
                     body: JSON.stringify({to, template_id: tpl})});
                return {status: r.status, retry: r.headers.get('Retry-After'),
                        body: await r.json()};
            }""",
            [opp["id"], to, template["id"]],
        )
        assert raw["status"] == 429, raw
        assert raw["body"]["limit"] == "daily_cap" and raw["body"]["retry_at"]
        assert int(raw["retry"]) > 0
    finally:
        api.patch("/api/v1/site", json={"daily_limit": 100})


def test_create_sequence_and_assign_it(board, api, template):
    name = ui.unique("Drip")
    board.click(".ao-open-sequences")
    dialog = ui.modal(board, "sequences")
    dialog.locator(".ao-new-sequence").click()
    ui.field(dialog, "name").fill(name)
    dialog.locator(".ao-add-step").click()
    steps = dialog.locator(".ao-step")
    ui.expect(steps).to_have_count(2)
    steps.nth(1).locator('[name="delay_hours"]').fill("48")
    steps.nth(1).locator('[name="stop_on_open"]').uncheck()
    dialog.locator(".ao-save-sequence").click()
    ui.expect(dialog.locator(".ao-library-item", has_text=name)).to_be_visible()
    saved = next(s for s in api.get("/api/v1/sequences").json() if s["name"] == name)
    assert [s["delay_hours"] for s in saved["steps"]] == [72, 48]
    assert saved["steps"][1]["stop_on_open"] is False
    dialog.locator(".ao-cancel").click()

    opp = ui.seed(api, target_url="https://almaseo.example/seq")
    ui.reload(board)
    assign = ui.card_dialog(board, opp["id"], "start-sequence", "assign-sequence")
    ui.field(assign, "sequence_id").select_option(label=name)
    ui.field(assign, "to").fill(f"{ui.unique('drip')}@example.org")
    assign.locator(".ao-save").click()
    ui.expect(assign).to_have_count(0)
    node = ui.card(board, opp["id"])
    ui.expect(node.locator(".ao-card-sequence")).to_contain_text(name)
    ui.expect(node.locator(".ao-card-sequence")).to_contain_text("next: step 2 of 2")
    ui.expect(node.locator(".ao-email-status")).to_have_text("Sent")
    ui.expect_in_column(board, opp["id"], "reached")

    ui.card_dialog(board, opp["id"], "stop-sequence").locator(".ao-save").click()
    ui.expect(node.locator(".ao-card-sequence")).to_contain_text("stopped")
    ui.expect(ui.menu(board, opp["id"]).locator(".ao-action-start-sequence")).to_be_visible()
    board.keyboard.press("Escape")
    ui.expect(node.locator(".ao-card-sequence")).to_contain_text("stopped")
