"""Conversations in WordPress: a reply shows in the History and its unread mark clears;
a scheduled send shows its time in Queued."""

from __future__ import annotations

import re

from tests.e2e import helpers as ui
from tests.support.processes import wait_for


def test_reply_appears_in_history_and_unread_clears_on_open(
    board, api, sender, stack, fake_sendgrid
):
    opp = ui.seed(api, contact_name="Jane Doe")
    text = "Sounds good, link added!\n\nOn Mon, Alma wrote:\n> About the page"
    message = ui.send_and_reply(api, fake_sendgrid, stack, opp, text, subject="Hi {{first_name}}")
    assert message["request"]["subject"] == "Hi Jane"
    ui.reload(board)
    unread = ui.card(board, opp["id"]).locator(".ao-badge-unread")
    ui.expect(unread).to_have_text("1 unread reply")
    history = ui.card_dialog(board, opp["id"], "history")
    reply = history.locator(".ao-reply")
    ui.expect(reply.locator(".ao-reply-unread")).to_be_visible()
    reply.locator("summary").click()
    ui.expect(reply.locator(".ao-reply-text")).to_have_text("Sounds good, link added!")
    ui.expect(reply.locator(".ao-reply-full")).to_contain_text("> About the page")
    ui.expect(reply.locator(".ao-reply-unread")).to_have_count(0)
    ui.expect(unread).to_have_count(0, timeout=10000)  # the board refreshed behind the dialog
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["unread_replies"] == 0


def test_schedule_from_the_send_dialog_shows_in_queued(board, api, sender):
    opp, dialog = ui.open_send(board, api, "ed")
    ui.write_by_hand(dialog, "Later, {{first_name|there}}", "Hello {{url}}")
    ui.field(dialog, "when").select_option("later")
    ui.field(dialog, "send_at").fill("2099-01-01T09:30")  # more than a year ahead: refused
    dialog.locator(".ao-schedule").click()
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("year")
    ui.field(dialog, "send_at").fill(board.evaluate(TOMORROW_LOCAL))
    dialog.locator(".ao-schedule").click()
    ui.expect(dialog).to_have_count(0)
    ui.expect_in_column(board, opp["id"], "queued")
    ui.expect(ui.card(board, opp["id"]).locator(".ao-card-scheduled")).to_contain_text(
        "Scheduled for"
    )
    history = ui.card_dialog(board, opp["id"], "history")
    ui.expect(history.locator(".ao-email-scheduled")).to_contain_text("Scheduled for")
    [email] = api.get(f"/api/v1/opportunities/{opp['id']}/emails").json()
    assert email["status"] == "scheduled" and email["subject"] == "Later, there"


TOMORROW_LOCAL = """() => {
    const d = new Date(Date.now() + 26 * 3600 * 1000);
    return d.toISOString().slice(0, 16);
}"""


def test_template_preview_against_a_chosen_card(board, api):
    opp = ui.seed(api, contact_name="Ana Lima")
    ui.reload(board)
    board.click(".ao-open-templates")
    dialog = ui.modal(board, "templates")
    dialog.locator(".ao-new-template").click()
    ui.field(dialog, "subject").fill("Hi {{first_name|there}}")
    ui.field(dialog, "body").fill("<p>A note about {{domain}}</p>")
    ui.field(dialog, "opportunity_id").select_option(value=str(opp["id"]))
    dialog.locator(".ao-preview-button").last.click()
    ui.expect(dialog.locator(".ao-preview-text")).to_contain_text("Hi Ana")
    ui.expect(dialog.locator(".ao-preview-html")).to_have_attribute(
        "srcdoc", re.compile(re.escape(opp["domain"]))
    )


def test_scheduled_send_leaves_queued_for_reached_when_it_goes(board, api, sender):
    opp = ui.seed(api, contact_email=f"{ui.unique('sched')}@example.org")
    at = board.evaluate("() => new Date(Date.now() + 4000).toISOString()")
    r = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"subject": "Soon", "body": "Hello {{url}}", "send_at": at},
    )
    assert r.status_code == 202, r.text
    ui.reload(board)
    ui.expect_in_column(board, opp["id"], "queued")
    ui.expect(ui.card(board, opp["id"]).locator(".ao-card-scheduled")).to_be_visible()
    # The service's scheduler (every second in this stack) sends it; the board follows.
    ui.expect(
        board.locator(f'[data-status="reached"] .ao-card[data-id="{opp["id"]}"]')
    ).to_have_count(1, timeout=30000)
    ui.expect(ui.card(board, opp["id"]).locator(".ao-card-scheduled")).to_have_count(0)


def test_second_step_answers_the_first_in_its_thread(api, sender, stack, fake_sendgrid):
    assert api.patch("/api/v1/site", json={"cooldown_hours": 0}).status_code == 200
    try:
        to = f"{ui.unique('thread')}@example.org"
        tpl = ui.make_template(api, ui.unique("T"), "About {{domain}}", "Hi {{url}}")
        steps = [
            {"template_id": tpl["id"], "delay_hours": 0},
            {"template_id": tpl["id"], "delay_hours": 0.002},
        ]
        seq = api.post("/api/v1/sequences", json={"name": ui.unique("S"), "steps": steps}).json()
        opp = ui.seed(api)
        r = api.post(
            f"/api/v1/opportunities/{opp['id']}/sequence", json={"sequence_id": seq["id"], "to": to}
        )
        assert r.status_code == 201, r.text
        first = ui.sent_message(fake_sendgrid, to)
        event = fake_sendgrid.event(first, "processed")
        assert fake_sendgrid.post_events(stack.service_url + "/sendgrid/webhook", [event]).ok
        wait_for(lambda: len(fake_sendgrid.subjects_to(to)) == 2, 60)
        second = ui.sent_message(fake_sendgrid, to)["request"]
        assert second["subject"] == f"Re: About {opp['domain']}"
        assert second["headers"]["In-Reply-To"] == event["smtp-id"]
    finally:
        api.patch("/api/v1/site", json={"cooldown_hours": 24})


def test_send_at_the_next_window_opening_from_the_send_dialog(board, api, sender):
    today = int(board.evaluate("() => new Date().getUTCDay() || 7"))
    days = [d for d in range(1, 8) if d != today]
    window = {"enabled": True, "days": days, "start": "09:00", "end": "17:00"}
    assert api.patch("/api/v1/site", json={"send_window": window}).status_code == 200
    try:
        opp, dialog = ui.open_send(board, api, "win")
        ui.write_by_hand(dialog, "In the window", "Hello {{url}}")
        ui.field(dialog, "when").select_option("window")
        dialog.locator(".ao-send-window").click()
        ui.expect(dialog).to_have_count(0)
        ui.expect_in_column(board, opp["id"], "queued")
        [email] = api.get(f"/api/v1/opportunities/{opp['id']}/emails").json()
        assert email["status"] == "scheduled" and "T09:" in email["scheduled_for"], email
    finally:
        api.patch("/api/v1/site", json={"send_window": {"enabled": False}})
