"""The board from the keyboard at scale: one Tab stop per column, arrows between columns,
Home/End and PageUp/PageDown inside one, and Alt+→ putting a card on top of the next."""

from __future__ import annotations

import pytest

from tests.e2e import helpers as ui

FOCUSED_ID = "() => Number(document.activeElement.dataset.id)"
FOCUSED_COLUMN = "() => document.activeElement.closest('.ao-column')?.dataset.status || null"
TAB_STOPS = """() => Array.from(document.querySelectorAll('.ao-column')).map(
    (c) => c.querySelectorAll('.ao-card[tabindex="0"]').length)"""


@pytest.fixture
def spread(board, api):
    """30 cards in New (more than a lane shows), 3 in Queued, none in Reached, 2 in Won."""
    ids = {
        "new": [ui.seed(api, anchor_text=f"new {i}")["id"] for i in range(30)],
        "queued": [ui.seed(api, status="queued", anchor_text=f"q {i}")["id"] for i in range(3)],
        "won": [ui.seed(api, status="won", anchor_text=f"won {i}")["id"] for i in range(2)],
    }
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    ui.expect(ui.column(board, "new").locator(".ao-column-count")).to_have_text("30")
    return ids


def test_one_tab_stop_per_column_that_follows_the_focus(board, spread):
    assert board.evaluate(TAB_STOPS) == [1, 1, 0, 1]
    ui.card(board, spread["new"][0]).focus()
    board.keyboard.press("Tab")  # leaves New: its other cards are no Tab stops
    assert board.evaluate(FOCUSED_COLUMN) == "queued"
    ui.card(board, spread["queued"][0]).focus()
    board.keyboard.press("ArrowDown")
    assert board.evaluate(FOCUSED_ID) == spread["queued"][1]
    # The column's one stop is now the card last focused in it.
    ui.expect(ui.card(board, spread["queued"][1])).to_have_attribute("tabindex", "0")
    ui.expect(ui.card(board, spread["queued"][0])).to_have_attribute("tabindex", "-1")
    assert board.evaluate(TAB_STOPS) == [1, 1, 0, 1]


def test_arrows_cross_columns_home_end_and_pages_stay_in_one(board, spread):
    new = spread["new"]
    ui.card(board, new[0]).focus()
    board.keyboard.press("End")
    assert board.evaluate(FOCUSED_ID) == new[-1]
    ui.expect(ui.card(board, new[-1])).to_be_in_viewport()
    board.keyboard.press("Home")
    assert board.evaluate(FOCUSED_ID) == new[0]
    board.keyboard.press("PageDown")
    paged = new.index(board.evaluate(FOCUSED_ID))
    assert paged >= 4, paged  # a lane's height of cards further, not one
    ui.expect(ui.card(board, new[paged])).to_be_in_viewport()
    board.keyboard.press("PageUp")
    assert board.evaluate(FOCUSED_ID) == new[0]
    board.keyboard.press("ArrowRight")
    assert board.evaluate(FOCUSED_ID) == spread["queued"][0]
    board.keyboard.press("ArrowRight")  # Reached is empty: on to Won
    assert board.evaluate(FOCUSED_ID) == spread["won"][0]
    board.keyboard.press("ArrowLeft")
    assert board.evaluate(FOCUSED_COLUMN) == "queued"


def test_alt_arrow_puts_the_card_on_top_of_the_next_column(board, api, spread):
    moving = spread["new"][3]
    ui.card(board, moving).focus()
    board.keyboard.press("Alt+ArrowRight")
    ui.expect_in_column(board, moving, "queued")
    ui.expect(board.locator(".ao-notice", has_text="Moved to Queued")).to_be_visible()
    ui.expect(ui.card(board, moving)).to_be_focused()
    shown = (
        ui.column(board, "queued")
        .locator(".ao-card")
        .evaluate_all("ns => ns.map(n => Number(n.dataset.id))")
    )
    assert shown[0] == moving, shown
    queued = [c["id"] for c in api.get("/api/v1/board").json()["columns"]["queued"]]
    assert queued == [moving, *spread["queued"]], queued
