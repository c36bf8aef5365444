"""The board during an outage of the service: a move that fails is put back at once, and a
board loaded while the service is down says so instead of showing empty columns."""

from __future__ import annotations

from tests.e2e import helpers as ui


def counts(page) -> dict:
    return {
        s: ui.column(page, s).locator(".ao-column-count").inner_text()
        for s in ("new", "queued", "reached", "won")
    }


def test_a_move_that_fails_in_an_outage_is_put_back_at_once(board, api, stack):
    first, second = ui.seed(api, anchor_text="stays put"), ui.seed(api, anchor_text="second")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    ui.expect(ui.column(board, "new").locator(".ao-column-count")).to_have_text("2")
    before = counts(board)
    ui.set_service_url(stack, ui.DEAD_URL)
    try:
        ui.card(board, first["id"]).focus()
        with board.expect_response(lambda r: "/move" in r.url) as answer:
            board.keyboard.press("Alt+ArrowRight")
        assert answer.value.status == 503
        ui.expect(board.locator(".ao-notice", has_text="not reachable")).to_be_visible()
        # Put back by the failure itself: no board load can succeed during the outage.
        ui.expect_in_column(board, first["id"], "new")
        assert counts(board) == before
        order = (
            ui.column(board, "new")
            .locator(".ao-card")
            .evaluate_all("ns => ns.map(n => Number(n.dataset.id))")
        )
        assert order == [first["id"], second["id"]]
    finally:
        ui.set_service_url(stack, stack.service_url)
    assert api.get(f"/api/v1/opportunities/{first['id']}").json()["status"] == "new"


def test_a_board_loaded_while_the_service_is_down_says_so(admin_context, api, stack):
    opp = ui.seed(api, anchor_text="there all along")
    ui.set_service_url(stack, ui.DEAD_URL)
    page = admin_context.new_page()
    try:
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
        page.wait_for_selector("#ao-app.is-ready")
        ui.expect(page.locator("#ao-board-error")).to_contain_text("not reachable")
        lanes = page.locator(".ao-cards")
        ui.expect(lanes.filter(has_text="No cards yet")).to_have_count(0)
        ui.expect(lanes.filter(has_text="not loaded")).to_have_count(4)
        for status, shown in counts(page).items():
            assert shown != "0", (status, shown)
        ui.set_service_url(stack, stack.service_url)
        # The next poll loads the board and the notice goes away.
        ui.expect(ui.card(page, opp["id"])).to_be_visible(timeout=15000)
        ui.expect(page.locator("#ao-board-error")).to_be_hidden()
    finally:
        ui.set_service_url(stack, stack.service_url)
        page.close()
