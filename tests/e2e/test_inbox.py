"""Outreach → Inbox in WordPress (docs/api.md §16): an auto-reply, a human reply with a
list and a suggested contact, an unsubscribe request; keys j/k/Enter/e, labels, mark read,
the menu bubble, "Use this contact" and "Open the card"."""

from __future__ import annotations

import re

import pytest

from tests.e2e import helpers as ui

LIST_REPLY = (
    "Happy to help. Two things first:\n- send the final URL\n- keep the anchor short\n\n"
    "For the contract, please write to dana@acme.example, she handles it."
)


def _reply(api, fake, stack, text: str, subject: str = "Re: Hello") -> dict:
    """A card sent an email, answered through Inbound Parse; the card."""
    from tests.e2e.stack import INBOUND_TOKEN

    opp = ui.seed(api)
    to = f"{ui.unique('replier')}@acme-{ui.unique('co')}.example"
    sent = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"to": to, "subject": "Hello", "body": "About {{url}}"},
    )
    assert sent.status_code == 201, sent.text
    message = ui.sent_message(fake, to)
    form = fake.inbound_form(message["request"]["reply_to"]["email"], sender=to, subject=subject)
    form["text"] = text
    inbound = f"{stack.service_url}/sendgrid/inbound/{INBOUND_TOKEN}"
    assert fake.post_inbound(inbound, form).json()["matched"] is True
    return opp


@pytest.fixture
def inbox(admin_context, stack, api, sender, fake_sendgrid, request):
    """Three replies (oldest first: auto-reply, human with a list, unsubscribe request) and a
    tab on the Inbox."""
    ui.clean_board(api)
    cards = {
        "auto_reply": _reply(
            api, fake_sendgrid, stack, "I am out of the office.", "Out of office: Hello"
        ),
        "human": _reply(api, fake_sendgrid, stack, LIST_REPLY),
        "unsubscribe_request": _reply(
            api, fake_sendgrid, stack, "Please remove me from your list."
        ),
    }
    page = admin_context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-inbox")
    ui.expect(page.locator(".ao-inbox-row")).to_have_count(3)
    yield page, cards
    page.close()
    assert errors == []


def _rows(page):
    return page.locator(".ao-inbox-row")


def test_inbox_lists_kinds_and_reads_from_the_keyboard(inbox, api):
    page, cards = inbox
    rows = _rows(page)
    ui.expect(rows.nth(0)).to_have_attribute("data-kind", "unsubscribe_request")
    ui.expect(rows.nth(1)).to_have_attribute("data-kind", "human")
    ui.expect(rows.nth(2)).to_have_attribute("data-kind", "auto_reply")
    ui.expect(rows.nth(2).locator(".ao-reply-kind")).to_have_text("Auto-reply")
    bubble = page.locator("#adminmenu .ao-unread-bubble .pending-count").first
    ui.expect(bubble).to_have_text("3")
    page.locator(".ao-inbox-list").focus()
    page.keyboard.press("j")  # the first row was chosen on focus; j goes to the second
    ui.expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    text = page.locator(".ao-inbox-pane .ao-reply-text")
    ui.expect(text).to_contain_text("- send the final URL\n- keep the anchor short")
    page.keyboard.press("e")
    ui.expect(_rows(page).nth(1)).to_have_attribute("data-read", "true")
    ui.expect(bubble).to_have_text("2")
    page.keyboard.press("k")
    ui.expect(_rows(page).nth(0)).to_have_attribute("aria-selected", "true")
    human = api.get(f"/api/v1/opportunities/{cards['human']['id']}").json()
    assert human["unread_replies"] == 0


def test_label_filter_use_contact_and_open_the_card(inbox, api):
    page, cards = inbox
    _rows(page).nth(1).click()
    pane = page.locator(".ao-inbox-pane")
    pane.locator('[data-field="label"] select').select_option("interested")
    ui.expect(_rows(page).nth(1).locator(".ao-reply-label")).to_have_text("Interested")
    page.locator('.ao-inbox-filters [data-field="label"] select').select_option("interested")
    ui.expect(_rows(page)).to_have_count(1)
    _rows(page).nth(0).click()
    pane.locator('.ao-reply-contacts [data-address="dana@acme.example"] .ao-use-contact').click()
    card_id = cards["human"]["id"]
    ui.expect(pane.locator(".ao-inbox-card")).to_contain_text("dana@acme.example")
    assert (
        api.get(f"/api/v1/opportunities/{card_id}").json()["contact_email"] == "dana@acme.example"
    )
    [reply] = api.get("/api/v1/replies", query={"label": "interested"}).json()["items"]
    assert reply["opportunity_id"] == card_id
    pane.locator(".ao-open-card").click()
    page.wait_for_selector("#ao-app.is-ready")
    ui.expect(page.locator('.ao-modal[data-modal="card"]')).to_be_visible()
    # The metrics say what a reply is (docs/api.md §16: people, not auto-replies).
    rate = page.locator('.ao-metric[data-metric="reply_rate"]')
    ui.expect(rate).to_have_attribute("title", re.compile("Auto-replies and bounces do not count"))


def test_reply_settings_in_the_sending_dialog(board, api):

    board.click(".ao-open-site")
    dialog = ui.modal(board, "site")
    ui.expect(ui.field(dialog, "auto_reply_pause_days")).to_have_value("7")
    ui.expect(ui.field(dialog, "honour_unsubscribe_replies")).to_be_checked()
    ui.field(dialog, "auto_reply_pause_days").fill("3")
    ui.field(dialog, "stop_domain_on_reply").uncheck()
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    site = api.get("/api/v1/site").json()
    try:
        assert (site["auto_reply_pause_days"], site["stop_domain_on_reply"]) == (3, False)
        assert site["honour_unsubscribe_replies"] is True
    finally:
        restore = {"auto_reply_pause_days": 7, "stop_domain_on_reply": True}
        assert api.patch("/api/v1/site", json=restore).status_code == 200


def test_a_viewer_reads_and_marks_read_but_cannot_label(
    viewer_context, stack, api, sender, fake_sendgrid
):
    from tests.support.browser import VIEWER

    ui.clean_board(api)
    _reply(api, fake_sendgrid, stack, LIST_REPLY)
    user = f"get_user_by('login', '{VIEWER[0]}')"
    stack.wp_eval(f"{user}->add_cap('almaseo_outreach_view');")
    page = viewer_context.new_page()
    try:
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-inbox")
        _rows(page).nth(0).click()
        pane = page.locator(".ao-inbox-pane")
        ui.expect(pane.locator('[data-field="label"] select')).to_be_disabled()
        ui.expect(pane.locator(".ao-reply-contacts")).to_contain_text("dana@acme.example")
        ui.expect(pane.locator(".ao-use-contact")).to_have_count(0)
        pane.locator(".ao-mark-read").click()
        ui.expect(_rows(page).nth(0)).to_have_attribute("data-read", "true")
    finally:
        page.close()
        stack.wp_eval(f"{user}->remove_cap('almaseo_outreach_view');")
