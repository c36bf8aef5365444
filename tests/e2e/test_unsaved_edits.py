"""Edits are never dropped silently, stale errors go, cancelling a scheduled email asks and
keeps the panel, and errors name fields by their labels, never by the API's names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.helpers import (
    card,
    expect,
    field,
    modal,
    open_send,
    reload,
    seed,
    unique,
    write_by_hand,
)


def send_state(api, opp) -> str:
    [email] = api.get(f"/api/v1/opportunities/{opp['id']}/emails").json()
    return email["send_state"]


def test_escape_and_new_template_ask_before_dropping_edits(board):
    board.click(".ao-open-templates")
    dialog = modal(board, "templates")
    dialog.locator(".ao-new-template").click()
    name = field(dialog, "name")
    name.fill("Half-written pitch")
    board.keyboard.press("Escape")
    ask = dialog.locator(".ao-confirm")
    expect(ask).to_be_visible()
    expect(ask).to_contain_text("unsaved")
    expect(ask.locator(".ao-confirm-no")).to_be_focused()
    ask.locator(".ao-confirm-no").click()  # keep editing
    expect(ask).to_have_count(0)
    expect(name).to_have_value("Half-written pitch")
    dialog.locator(".ao-new-template").click()
    expect(ask).to_be_visible()
    board.keyboard.press("Escape")  # Escape on the question keeps editing too
    expect(ask).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(name).to_have_value("Half-written pitch")
    dialog.locator(".ao-new-template").click()
    ask.locator(".ao-confirm-yes").click()  # discard: a fresh form
    expect(field(dialog, "name")).to_have_value("")
    board.keyboard.press("Escape")  # nothing typed since: closes at once
    expect(dialog).to_have_count(0)


def test_a_stale_field_error_goes_after_a_successful_save(board, api):
    opp = seed(api)
    reload(board)
    card(board, opp["id"]).click(position={"x": 60, "y": 40})
    panel = modal(board, "card")
    field(panel, "contact_email").fill("not-an-address")
    panel.locator(".ao-save").click()
    slot = panel.locator('[data-field="contact_email"] .ao-field-error')
    expect(slot).to_be_visible()
    field(panel, "contact_email").fill("editor@example.org")
    panel.locator(".ao-save").click()
    expect(board.locator(".ao-notice", has_text="Card saved")).to_be_visible()
    expect(slot).to_be_hidden()
    expect(panel.locator(".ao-modal-error")).to_be_hidden()
    board.keyboard.press("Escape")  # saved: nothing to ask about
    expect(panel).to_have_count(0)


def test_cancelling_a_scheduled_email_asks_and_keeps_the_panel(board, api, sender):
    opp = seed(api, contact_email=f"{unique('later')}@example.org")
    at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    scheduled = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={
            "to": opp["contact_email"],
            "subject": "Later",
            "body": "About {{url}}",
            "send_at": at,
        },
    )
    assert scheduled.status_code == 202, scheduled.text
    reload(board)
    card(board, opp["id"]).click(position={"x": 60, "y": 40})
    panel = modal(board, "card")
    panel.locator(".ao-tab-emails").click()
    panel.locator(".ao-cancel-scheduled").click()
    ask = panel.locator(".ao-confirm")
    expect(ask).to_contain_text("Cancel the email")
    ask.locator(".ao-confirm-no").click()
    assert send_state(api, opp) == "scheduled"
    panel.locator(".ao-cancel-scheduled").click()
    ask.locator(".ao-confirm-yes").click()
    expect(board.locator(".ao-notice", has_text="Scheduled email cancelled")).to_be_visible()
    expect(panel).to_be_visible()
    expect(panel.locator(".ao-event-cancelled")).to_be_visible()
    expect(panel.locator(".ao-cancel-scheduled")).to_have_count(0)
    assert send_state(api, opp) == "cancelled"
    # The header follows the card's column, whichever the service leaves it in.
    status = api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"]
    expect(panel.locator(".ao-detail-column")).to_have_text(status.capitalize())


def test_errors_name_fields_by_their_labels(board, api, sender):
    _, dialog = open_send(board, api, "label")
    write_by_hand(dialog, "Hello", "About {{url}}")
    field(dialog, "when").select_option("later")
    field(dialog, "send_at").fill("2001-01-01T09:30")
    dialog.locator(".ao-schedule").click()
    error = dialog.locator(".ao-modal-error")
    expect(error).to_contain_text("in the past")
    expect(error).not_to_contain_text("send_at")
    expect(error).to_contain_text("Send at")
    expect(dialog.locator('[data-field="send_at"] .ao-field-error')).to_be_visible()
