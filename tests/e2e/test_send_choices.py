"""The Send dialog offers one primary action for the chosen "When"; the sequence editor
shows no delay or thread for step one and leaves "Stop on open" off; dates read alike
everywhere, in the site's time zone, named."""

from __future__ import annotations

import pytest

from tests.e2e import helpers as ui

FORMAT = """async (iso) => {
    const src = document.querySelector('script[src*="assets/js/board.js"]').src;
    const { when } = await import(src.replace(/board\\.js.*$/, 'common/format.js'));
    return when(iso);
}"""


@pytest.fixture
def kolkata(stack):
    """WordPress' time zone set to one the browser does not use."""
    before = stack.wp_eval("echo get_option('timezone_string');").strip()
    stack.wp_eval("update_option('timezone_string', 'Asia/Kolkata');")
    yield
    stack.wp_eval(f"update_option('timezone_string', '{before}');")


def test_one_primary_action_for_the_chosen_when(board, api, sender):
    _, dialog = ui.open_send(board, api, "when")
    primary = dialog.locator(".ao-modal-footer .button-primary:visible")
    for when, label in (
        ("now", "Send now"),
        ("later", "Schedule"),
        ("window", "Send in the window"),
        ("queue", "Queue"),
        ("now", "Send now"),
    ):
        ui.field(dialog, "when").select_option(when)
        ui.expect(primary).to_have_count(1)
        ui.expect(primary).to_have_text(label)
        if when == "later":
            ui.expect(ui.field(dialog, "send_at")).to_be_visible()
        else:
            ui.expect(ui.field(dialog, "send_at")).to_be_hidden()


def test_step_one_has_no_delay_or_thread_and_stop_on_open_starts_off(board, api, sender):
    ui.make_template(api, ui.unique("Step"), "Hi", "{{url}}")
    board.click(".ao-open-sequences")
    dialog = ui.modal(board, "sequences")
    dialog.locator(".ao-new-sequence").click()
    name = ui.unique("Opens")
    ui.field(dialog, "name").fill(name)
    dialog.locator(".ao-add-step").click()
    first, second = dialog.locator(".ao-step").nth(0), dialog.locator(".ao-step").nth(1)
    ui.expect(first.locator('[name="delay_hours"]')).to_be_hidden()
    ui.expect(first.locator('[name="thread"]')).to_be_hidden()
    ui.expect(first).to_contain_text("sent when the sequence starts")
    ui.expect(second.locator('[name="delay_hours"]')).to_be_visible()
    ui.expect(second.locator('[name="thread"]')).to_be_visible()
    for step in (first, second):
        ui.expect(step.locator('[name="stop_on_open"]')).not_to_be_checked()
        ui.expect(step.locator('[name="stop_on_reply"]')).to_be_checked()
    ui.expect(dialog).to_contain_text("Apple Mail")
    dialog.locator(".ao-save-sequence").click()
    ui.expect(dialog.locator(".ao-library-item", has_text=name)).to_be_visible()
    saved = next(s for s in api.get("/api/v1/sequences").json() if s["name"] == name)
    assert [s["stop_on_open"] for s in saved["steps"]] == [False, False]
    assert saved["steps"][1]["delay_hours"] == 72


def test_dates_read_alike_in_the_sites_named_time_zone(board, api, sender, kolkata):
    paused = api.patch("/api/v1/site", json={"paused": True})
    assert paused.status_code == 200, paused.text
    try:
        _, dialog = ui.open_send(board, api, "zone")
        expected = board.evaluate(FORMAT, paused.json()["paused_at"])
        assert "GMT+5:30" in expected, expected
        ui.expect(board.locator(".ao-pause-banner")).to_contain_text(expected)
        ui.field(dialog, "when").select_option("later")
        ui.expect(dialog.locator('[data-field="send_at"] label')).to_contain_text("Asia/Kolkata")
    finally:
        api.patch("/api/v1/site", json={"paused": False})
