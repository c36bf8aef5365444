"""Edits are never dropped silently, stale errors go, cancelling a scheduled email asks and
keeps the panel, and errors name fields by their labels, never by the API's names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e import helpers as ui


def send_state(api, opp) -> str:
    [email] = api.get(f"/api/v1/opportunities/{opp['id']}/emails").json()
    return email["send_state"]


def test_escape_and_new_template_ask_before_dropping_edits(board):
    board.click(".ao-open-templates")
    dialog = ui.modal(board, "templates")
    dialog.locator(".ao-new-template").click()
    name = ui.field(dialog, "name")
    name.fill("Half-written pitch")
    board.keyboard.press("Escape")
    ask = dialog.locator(".ao-confirm")
    ui.expect(ask).to_be_visible()
    ui.expect(ask).to_contain_text("unsaved")
    ui.expect(ask.locator(".ao-confirm-no")).to_be_focused()
    ask.locator(".ao-confirm-no").click()  # keep editing
    ui.expect(ask).to_have_count(0)
    ui.expect(name).to_have_value("Half-written pitch")
    dialog.locator(".ao-new-template").click()
    ui.expect(ask).to_be_visible()
    board.keyboard.press("Escape")  # Escape on the question keeps editing too
    ui.expect(ask).to_have_count(0)
    ui.expect(dialog).to_be_visible()
    ui.expect(name).to_have_value("Half-written pitch")
    dialog.locator(".ao-new-template").click()
    ask.locator(".ao-confirm-yes").click()  # discard: a fresh form
    ui.expect(ui.field(dialog, "name")).to_have_value("")
    board.keyboard.press("Escape")  # nothing typed since: closes at once
    ui.expect(dialog).to_have_count(0)


def test_a_stale_field_error_goes_after_a_successful_save(board, api):
    opp = ui.seed(api)
    ui.reload(board)
    ui.card(board, opp["id"]).click(position={"x": 60, "y": 40})
    panel = ui.modal(board, "card")
    ui.field(panel, "contact_email").fill("not-an-address")
    panel.locator(".ao-save").click()
    slot = panel.locator('[data-field="contact_email"] .ao-field-error')
    ui.expect(slot).to_be_visible()
    ui.field(panel, "contact_email").fill("editor@example.org")
    panel.locator(".ao-save").click()
    ui.expect(board.locator(".ao-notice", has_text="Card saved")).to_be_visible()
    ui.expect(slot).to_be_hidden()
    ui.expect(panel.locator(".ao-modal-error")).to_be_hidden()
    board.keyboard.press("Escape")  # saved: nothing to ask about
    ui.expect(panel).to_have_count(0)


def test_cancelling_a_scheduled_email_asks_and_keeps_the_panel(board, api, sender):
    opp = ui.seed(api, contact_email=f"{ui.unique('later')}@example.org")
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
    ui.reload(board)
    ui.card(board, opp["id"]).click(position={"x": 60, "y": 40})
    panel = ui.modal(board, "card")
    panel.locator(".ao-tab-emails").click()
    panel.locator(".ao-cancel-scheduled").click()
    ask = panel.locator(".ao-confirm")
    ui.expect(ask).to_contain_text("Cancel the email")
    ask.locator(".ao-confirm-no").click()
    assert send_state(api, opp) == "scheduled"
    panel.locator(".ao-cancel-scheduled").click()
    ask.locator(".ao-confirm-yes").click()
    ui.expect(board.locator(".ao-notice", has_text="Scheduled email cancelled")).to_be_visible()
    ui.expect(panel).to_be_visible()
    ui.expect(panel.locator(".ao-event-cancelled")).to_be_visible()
    ui.expect(panel.locator(".ao-cancel-scheduled")).to_have_count(0)
    assert send_state(api, opp) == "cancelled"
    # The header follows the card's column, whichever the service leaves it in.
    status = api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"]
    ui.expect(panel.locator(".ao-detail-column")).to_have_text(status.capitalize())


def test_errors_name_fields_by_their_labels(board, api, sender):
    _, dialog = ui.open_send(board, api, "label")
    ui.write_by_hand(dialog, "Hello", "About {{url}}")
    ui.field(dialog, "when").select_option("later")
    ui.field(dialog, "send_at").fill("2001-01-01T09:30")
    dialog.locator(".ao-schedule").click()
    error = dialog.locator(".ao-modal-error")
    ui.expect(error).to_contain_text("in the past")
    ui.expect(error).not_to_contain_text("send_at")
    ui.expect(error).to_contain_text("Send at")
    ui.expect(dialog.locator('[data-field="send_at"] .ao-field-error')).to_be_visible()
