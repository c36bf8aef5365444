"""The board in a real wp-admin: columns, adding, moving, notes, search, delete."""

from __future__ import annotations

import re

from tests.e2e import helpers as ui
from tests.support.browser import open_board


def test_four_coloured_columns_with_counts_and_metrics(board, api):
    ui.seed(api, anchor_text="coloured columns")
    titles = board.locator(".ao-column-title")
    ui.expect(titles).to_have_count(4)
    for i, name in enumerate(["New", "Queued", "Reached", "Won"]):
        ui.expect(titles.nth(i)).to_contain_text(name)
    colours = [
        ui.column(board, s).evaluate("n => getComputedStyle(n).borderTopColor")
        for s in ("new", "queued", "reached", "won")
    ]
    assert colours == [
        "rgb(140, 143, 148)",
        "rgb(219, 166, 23)",
        "rgb(34, 113, 177)",
        "rgb(0, 163, 42)",
    ]
    counts = api.get("/api/v1/board").json()["counts"]
    ui.expect(ui.column(board, "new").locator(".ao-column-count")).to_have_text(str(counts["new"]))
    ui.expect(board.locator(".ao-metric")).to_have_count(8)  # the seven stats and unread replies
    ui.expect(board.locator('[data-metric="unread_replies"] .ao-metric-label')).to_have_text(
        "Unread Replies"
    )
    ui.expect(board.locator('[data-metric="total_sent"] .ao-metric-label')).to_have_text(
        "Total Sent"
    )


def test_card_shows_domain_link_anchor_lost_link_and_notes(board, api):
    opp = ui.seed(api, anchor_text="best <b>tools</b>", lost_link=True, notes="called once")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    node = ui.card(board, opp["id"])
    link = node.locator(".ao-card-domain")
    ui.expect(link).to_have_text(opp["domain"])
    ui.expect(link).to_have_attribute("href", opp["source_url"])
    ui.expect(link).to_have_attribute("target", "_blank")
    # Data is rendered as text: the markup shows literally and creates no element.
    ui.expect(node.locator(".ao-card-anchor")).to_have_text("best <b>tools</b>")
    assert node.locator(".ao-card-anchor b").count() == 0
    ui.expect(node.locator(".ao-badge-lost")).to_have_text("Lost Link")
    ui.expect(node.locator(".ao-notes-indicator")).to_be_visible()


def test_add_opportunity_keeps_input_and_names_the_field_on_error(board, api):
    board.click(".ao-open-add")
    dialog = ui.modal(board, "add")
    ui.field(dialog, "source_url").fill(f"https://{ui.unique('add')}.example.net/page")
    ui.field(dialog, "contact_email").fill("not-an-email")
    ui.field(dialog, "anchor_text").fill("seo audit")
    dialog.locator(".ao-save").click()
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("Contact email")
    ui.expect(dialog.locator('[data-field="contact_email"] .ao-field-error')).to_be_visible()
    ui.expect(dialog.locator(".ao-modal-error")).not_to_contain_text("Invalid parameter")
    ui.expect(ui.field(dialog, "anchor_text")).to_have_value("seo audit")
    ui.field(dialog, "contact_email").fill("editor@example.net")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    new = ui.column(board, "new").locator(".ao-card", has_text="seo audit")
    ui.expect(new).to_be_visible()
    ui.expect(board.locator(".ao-notice")).to_contain_text("Opportunity added")


def test_duplicate_opportunity_shows_the_service_message(board, api):
    opp = ui.seed(api)
    board.click(".ao-open-add")
    dialog = ui.modal(board, "add")
    ui.field(dialog, "source_url").fill(opp["source_url"])
    dialog.locator(".ao-save").click()
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("already on the board")
    dialog.locator(".ao-save").click()  # add it anyway: the same pair is the service's 409
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("already exists")
    ui.expect(dialog.locator(".ao-open-duplicate")).to_be_visible()
    ui.expect(ui.field(dialog, "source_url")).to_have_value(opp["source_url"])


def test_same_page_spelt_differently_warns_with_a_link_to_the_card(board, api):
    opp = ui.seed(api, anchor_text="the original")
    host = opp["source_url"].split("/")[2]
    board.click(".ao-open-add")
    dialog = ui.modal(board, "add")
    ui.field(dialog, "source_url").fill(f"http://www.{host.upper()}/post/?utm_source=x#top")
    ui.field(dialog, "target_url").fill("https://almaseo.example/other")
    dialog.locator(".ao-save").click()
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text(opp["domain"])
    assert len(api.get("/api/v1/board").json()["columns"]["new"]) == 1  # nothing created
    dialog.locator(".ao-open-duplicate").click()
    panel = ui.modal(board, "card")
    ui.expect(ui.field(panel, "anchor_text")).to_have_value("the original")


def test_drag_to_queued_survives_a_reload(board, api):
    opp = ui.seed(api, anchor_text="drag me")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    ui.card(board, opp["id"]).drag_to(ui.column(board, "queued").locator(".ao-cards"))
    ui.expect_in_column(board, opp["id"], "queued")
    ui.expect(board.locator(".ao-notice")).to_contain_text("Moved to Queued")
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"] == "queued"
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    ui.expect_in_column(board, opp["id"], "queued")


def test_drag_within_a_column_reorders(board, api):
    first, second = ui.seed(api, status="won"), ui.seed(api, status="won")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    won = ui.column(board, "won")
    ui.card(board, second["id"]).drag_to(
        ui.card(board, first["id"]), target_position={"x": 20, "y": 2}
    )
    ui.expect(board.locator(".ao-notice")).to_contain_text("Moved to Won")
    shown = won.locator(".ao-card").evaluate_all("ns => ns.map(n => Number(n.dataset.id))")
    assert shown.index(second["id"]) < shown.index(first["id"])
    ids = [c["id"] for c in api.get("/api/v1/board").json()["columns"]["won"]]
    assert ids.index(second["id"]) < ids.index(first["id"])


def test_keyboard_move_dialog_and_alt_arrows(board, api):
    opp = ui.seed(api, anchor_text="keyboard")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    dialog = ui.card_dialog(board, opp["id"], "move")
    for _ in range(7):  # the dialog is modal: Tab cycles inside it
        board.keyboard.press("Tab")
        assert board.evaluate("() => !!document.activeElement.closest('.ao-modal')")
    board.keyboard.press("Escape")
    ui.expect(dialog).to_have_count(0)
    ui.card_action(board, opp["id"], "move")
    ui.field(dialog, "status").select_option("won")
    dialog.locator(".ao-save").press("Enter")
    ui.expect_in_column(board, opp["id"], "won")
    ui.card(board, opp["id"]).focus()
    board.keyboard.press("Alt+ArrowLeft")
    ui.expect_in_column(board, opp["id"], "reached")
    ui.expect(board.locator(".ao-notice", has_text="Moved to Reached")).to_be_visible()  # saved
    ui.expect(ui.card(board, opp["id"])).to_be_focused()
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"] == "reached"


def test_notes_save_without_reload(board, api, stack):
    opp = ui.seed(api)
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    marker = board.evaluate("() => (window.__marker = Math.random())")
    dialog = ui.card_dialog(board, opp["id"], "notes")
    ui.field(dialog, "notes").fill("Spoke to the editor; follow up Friday.")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    ui.expect(ui.card(board, opp["id"]).locator(".ao-notes-indicator")).to_be_visible()
    assert board.evaluate("() => window.__marker") == marker  # same page, no reload
    notes = api.get(f"/api/v1/opportunities/{opp['id']}").json()["notes"]
    assert notes == "Spoke to the editor; follow up Friday."
    admin_id = int(stack.wp_eval("echo get_user_by('login', 'admin')->ID;").split()[-1])
    assert stack.audit_users("opportunity.notes", opp["id"]) == [admin_id]  # X-Outreach-User


def test_search_filters_as_you_type(board, api):
    word = ui.unique("zebra")
    hit_anchor = ui.seed(api, anchor_text=f"{word} anchor")
    hit_notes = ui.seed(api, notes=f"mentions {word} here")
    miss = ui.seed(api, anchor_text="something else")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    board.fill("#ao-search", word.upper())
    ui.expect(ui.card(board, hit_anchor["id"])).to_be_visible()
    ui.expect(ui.card(board, hit_notes["id"])).to_be_visible()
    ui.expect(ui.card(board, miss["id"])).to_have_count(0)
    ui.expect(board.locator(".ao-card")).to_have_count(2)
    board.fill("#ao-search", "")
    ui.expect(ui.card(board, miss["id"])).to_be_visible()


def test_delete_asks_for_confirmation(board, api):
    opp = ui.seed(api)
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    dialog = ui.card_dialog(board, opp["id"], "delete")
    ui.expect(dialog).to_contain_text(opp["domain"])
    dialog.locator(".ao-cancel").click()
    ui.expect(ui.card(board, opp["id"])).to_be_visible()
    ui.card_dialog(board, opp["id"], "delete").locator(".ao-confirm-delete").click()
    ui.expect(ui.card(board, opp["id"])).to_have_count(0)
    assert api.get(f"/api/v1/opportunities/{opp['id']}").status_code == 404


def test_cards_added_elsewhere_appear_by_polling(board, api):
    opp = ui.seed(api, anchor_text="appears by itself")
    ui.expect(ui.card(board, opp["id"])).to_be_visible(timeout=10000)


def test_assets_load_only_on_the_board_screen(admin_context, stack):
    page = admin_context.new_page()
    page.goto(f"{stack.wp_url}/wp-admin/index.php")
    html = page.content()
    assert "almaseo-outreach-board" not in html and "assets/js/board.js" not in html
    open_board(page, stack)
    assert re.search(r"assets/js/board\.js", page.content())
    page.close()
