"""The board in a real wp-admin: columns, adding, moving, notes, search, delete."""

from __future__ import annotations

import re

from tests.e2e.helpers import (
    card,
    card_action,
    card_dialog,
    column,
    expect,
    expect_in_column,
    field,
    modal,
    seed,
    unique,
)
from tests.support.browser import open_board


def test_four_coloured_columns_with_counts_and_metrics(board, api):
    seed(api, anchor_text="coloured columns")
    titles = board.locator(".ao-column-title")
    expect(titles).to_have_count(4)
    for i, name in enumerate(["New", "Queued", "Reached", "Won"]):
        expect(titles.nth(i)).to_contain_text(name)
    colours = [
        column(board, s).evaluate("n => getComputedStyle(n).borderTopColor")
        for s in ("new", "queued", "reached", "won")
    ]
    assert colours == [
        "rgb(140, 143, 148)",
        "rgb(219, 166, 23)",
        "rgb(34, 113, 177)",
        "rgb(0, 163, 42)",
    ]
    counts = api.get("/api/v1/board").json()["counts"]
    expect(column(board, "new").locator(".ao-column-count")).to_have_text(str(counts["new"]))
    expect(board.locator(".ao-metric")).to_have_count(8)  # the seven stats and unread replies
    expect(board.locator('[data-metric="unread_replies"] .ao-metric-label')).to_have_text(
        "Unread Replies"
    )
    expect(board.locator('[data-metric="total_sent"] .ao-metric-label')).to_have_text("Total Sent")


def test_card_shows_domain_link_anchor_lost_link_and_notes(board, api):
    opp = seed(api, anchor_text="best <b>tools</b>", lost_link=True, notes="called once")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    node = card(board, opp["id"])
    link = node.locator(".ao-card-domain")
    expect(link).to_have_text(opp["domain"])
    expect(link).to_have_attribute("href", opp["source_url"])
    expect(link).to_have_attribute("target", "_blank")
    # Data is rendered as text: the markup shows literally and creates no element.
    expect(node.locator(".ao-card-anchor")).to_have_text("best <b>tools</b>")
    assert node.locator(".ao-card-anchor b").count() == 0
    expect(node.locator(".ao-badge-lost")).to_have_text("Lost Link")
    expect(node.locator(".ao-notes-indicator")).to_be_visible()


def test_add_opportunity_keeps_input_and_names_the_field_on_error(board, api):
    board.click(".ao-open-add")
    dialog = modal(board, "add")
    field(dialog, "source_url").fill(f"https://{unique('add')}.example.net/page")
    field(dialog, "contact_email").fill("not-an-email")
    field(dialog, "anchor_text").fill("seo audit")
    dialog.locator(".ao-save").click()
    expect(dialog.locator(".ao-modal-error")).to_contain_text("Contact email")
    expect(dialog.locator('[data-field="contact_email"] .ao-field-error')).to_be_visible()
    expect(dialog.locator(".ao-modal-error")).not_to_contain_text("Invalid parameter")
    expect(field(dialog, "anchor_text")).to_have_value("seo audit")
    field(dialog, "contact_email").fill("editor@example.net")
    dialog.locator(".ao-save").click()
    expect(dialog).to_have_count(0)
    new = column(board, "new").locator(".ao-card", has_text="seo audit")
    expect(new).to_be_visible()
    expect(board.locator(".ao-notice")).to_contain_text("Opportunity added")


def test_duplicate_opportunity_shows_the_service_message(board, api):
    opp = seed(api)
    board.click(".ao-open-add")
    dialog = modal(board, "add")
    field(dialog, "source_url").fill(opp["source_url"])
    dialog.locator(".ao-save").click()
    expect(dialog.locator(".ao-modal-error")).to_contain_text("already on the board")
    dialog.locator(".ao-save").click()  # add it anyway: the same pair is the service's 409
    expect(dialog.locator(".ao-modal-error")).to_contain_text("already exists")
    expect(dialog.locator(".ao-open-duplicate")).to_be_visible()
    expect(field(dialog, "source_url")).to_have_value(opp["source_url"])


def test_same_page_spelt_differently_warns_with_a_link_to_the_card(board, api):
    opp = seed(api, anchor_text="the original")
    host = opp["source_url"].split("/")[2]
    board.click(".ao-open-add")
    dialog = modal(board, "add")
    field(dialog, "source_url").fill(f"http://www.{host.upper()}/post/?utm_source=x#top")
    field(dialog, "target_url").fill("https://almaseo.example/other")
    dialog.locator(".ao-save").click()
    expect(dialog.locator(".ao-modal-error")).to_contain_text(opp["domain"])
    assert len(api.get("/api/v1/board").json()["columns"]["new"]) == 1  # nothing created
    dialog.locator(".ao-open-duplicate").click()
    panel = modal(board, "card")
    expect(field(panel, "anchor_text")).to_have_value("the original")


def test_drag_to_queued_survives_a_reload(board, api):
    opp = seed(api, anchor_text="drag me")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    card(board, opp["id"]).drag_to(column(board, "queued").locator(".ao-cards"))
    expect_in_column(board, opp["id"], "queued")
    expect(board.locator(".ao-notice")).to_contain_text("Moved to Queued")
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"] == "queued"
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    expect_in_column(board, opp["id"], "queued")


def test_drag_within_a_column_reorders(board, api):
    first, second = seed(api, status="won"), seed(api, status="won")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    won = column(board, "won")
    card(board, second["id"]).drag_to(card(board, first["id"]), target_position={"x": 20, "y": 2})
    expect(board.locator(".ao-notice")).to_contain_text("Moved to Won")
    shown = won.locator(".ao-card").evaluate_all("ns => ns.map(n => Number(n.dataset.id))")
    assert shown.index(second["id"]) < shown.index(first["id"])
    ids = [c["id"] for c in api.get("/api/v1/board").json()["columns"]["won"]]
    assert ids.index(second["id"]) < ids.index(first["id"])


def test_keyboard_move_dialog_and_alt_arrows(board, api):
    opp = seed(api, anchor_text="keyboard")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    dialog = card_dialog(board, opp["id"], "move")
    for _ in range(7):  # the dialog is modal: Tab cycles inside it
        board.keyboard.press("Tab")
        assert board.evaluate("() => !!document.activeElement.closest('.ao-modal')")
    board.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    card_action(board, opp["id"], "move")
    field(dialog, "status").select_option("won")
    dialog.locator(".ao-save").press("Enter")
    expect_in_column(board, opp["id"], "won")
    card(board, opp["id"]).focus()
    board.keyboard.press("Alt+ArrowLeft")
    expect_in_column(board, opp["id"], "reached")
    expect(board.locator(".ao-notice", has_text="Moved to Reached")).to_be_visible()  # saved
    expect(card(board, opp["id"])).to_be_focused()
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"] == "reached"


def test_notes_save_without_reload(board, api, stack):
    opp = seed(api)
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    marker = board.evaluate("() => (window.__marker = Math.random())")
    dialog = card_dialog(board, opp["id"], "notes")
    field(dialog, "notes").fill("Spoke to the editor; follow up Friday.")
    dialog.locator(".ao-save").click()
    expect(dialog).to_have_count(0)
    expect(card(board, opp["id"]).locator(".ao-notes-indicator")).to_be_visible()
    assert board.evaluate("() => window.__marker") == marker  # same page, no reload
    notes = api.get(f"/api/v1/opportunities/{opp['id']}").json()["notes"]
    assert notes == "Spoke to the editor; follow up Friday."
    admin_id = int(stack.wp_eval("echo get_user_by('login', 'admin')->ID;").split()[-1])
    assert stack.audit_users("opportunity.notes", opp["id"]) == [admin_id]  # X-Outreach-User


def test_search_filters_as_you_type(board, api):
    word = unique("zebra")
    hit_anchor = seed(api, anchor_text=f"{word} anchor")
    hit_notes = seed(api, notes=f"mentions {word} here")
    miss = seed(api, anchor_text="something else")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    board.fill("#ao-search", word.upper())
    expect(card(board, hit_anchor["id"])).to_be_visible()
    expect(card(board, hit_notes["id"])).to_be_visible()
    expect(card(board, miss["id"])).to_have_count(0)
    expect(board.locator(".ao-card")).to_have_count(2)
    board.fill("#ao-search", "")
    expect(card(board, miss["id"])).to_be_visible()


def test_delete_asks_for_confirmation(board, api):
    opp = seed(api)
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    dialog = card_dialog(board, opp["id"], "delete")
    expect(dialog).to_contain_text(opp["domain"])
    dialog.locator(".ao-cancel").click()
    expect(card(board, opp["id"])).to_be_visible()
    card_dialog(board, opp["id"], "delete").locator(".ao-confirm-delete").click()
    expect(card(board, opp["id"])).to_have_count(0)
    assert api.get(f"/api/v1/opportunities/{opp['id']}").status_code == 404


def test_cards_added_elsewhere_appear_by_polling(board, api):
    opp = seed(api, anchor_text="appears by itself")
    expect(card(board, opp["id"])).to_be_visible(timeout=10000)


def test_assets_load_only_on_the_board_screen(admin_context, stack):
    page = admin_context.new_page()
    page.goto(f"{stack.wp_url}/wp-admin/index.php")
    html = page.content()
    assert "almaseo-outreach-board" not in html and "assets/js/board.js" not in html
    open_board(page, stack)
    assert re.search(r"assets/js/board\.js", page.content())
    page.close()
