"""Prospect metrics, sort, filters and saved views on the real board (issue 22 items 3, 4;
docs/api.md §20)."""

from __future__ import annotations

from tests.e2e import helpers as ui


def _seed_four(api, tag: str) -> dict[str, int]:
    """Four cards found by `tag`: DR 20 with an email, 80 with, 60 without, 50 with."""
    made = {}
    for name, dr, email in (
        ("low", 20, True),
        ("high", 80, True),
        ("mute", 60, False),
        ("mid", 50, True),
    ):
        extra = {"contact_email": f"ed@{name}.example.org"} if email else {}
        opp = ui.seed(
            api, anchor_text=f"{tag} {name}", metrics={"dr": dr, "source": "Ahrefs"}, **extra
        )
        made[name] = opp["id"]
    return made


def _shown(board) -> list[int]:
    """The ids of New's cards, in the order shown."""
    return (
        ui.column(board, "new")
        .locator(".ao-card")
        .evaluate_all("nodes => nodes.map(n => Number(n.dataset.id))")
    )


def test_cards_show_dr_and_the_panel_edits_metrics(board, api):
    opp = ui.seed(api, metrics={"dr": 71, "traffic": 1200, "source": "Ahrefs"})
    ui.reload(board)
    badge = ui.card(board, opp["id"]).locator(".ao-badge-metrics")
    ui.expect(badge).to_have_text("DR 71")
    ui.card(board, opp["id"]).click(position={"x": 60, "y": 40})
    panel = ui.modal(board, "card")
    ui.expect(ui.field(panel, "dr")).to_have_value("71")
    ui.expect(ui.field(panel, "source")).to_have_value("Ahrefs")
    ui.field(panel, "dr").fill("64")
    ui.field(panel, "traffic").fill("")
    panel.locator(".ao-save").click()
    ui.expect(board.locator(".ao-notice", has_text="Card saved")).to_be_visible()
    metrics = api.get(f"/api/v1/opportunities/{opp['id']}").json()["metrics"]
    assert (metrics["dr"], metrics["traffic"], metrics["source"]) == (64, None, "Ahrefs")
    board.keyboard.press("Escape")
    ui.expect(ui.card(board, opp["id"]).locator(".ao-badge-metrics")).to_have_text("DR 64")


def test_sort_by_dr_and_filter_has_email_with_a_dr_range(board, api):
    tag = ui.unique("views")
    ids = _seed_four(api, tag)
    ui.reload(board)
    board.fill("#ao-search", tag)
    ui.expect(ui.column(board, "new").locator(".ao-card")).to_have_count(4)
    board.select_option(".ao-view-controls select >> nth=0", "-dr")
    ui.expect(ui.column(board, "new").locator(".ao-card").first).to_have_attribute(
        "data-id", str(ids["high"])
    )
    assert _shown(board) == [ids["high"], ids["mute"], ids["mid"], ids["low"]]
    board.check("#ao-filter-email")
    board.fill("#ao-filter-dr-min", "40")
    board.fill("#ao-filter-dr-max", "90")
    board.press("#ao-filter-dr-max", "Tab")  # change fires on leaving the field
    ui.expect(ui.column(board, "new").locator(".ao-card")).to_have_count(2)
    assert _shown(board) == [ids["high"], ids["mid"]]
    board.select_option("#ao-filter-status", "none")  # never emailed: still both
    ui.expect(ui.column(board, "new").locator(".ao-card")).to_have_count(2)
    board.select_option("#ao-filter-status", "opened")
    ui.expect(ui.column(board, "new").locator(".ao-card")).to_have_count(0)


def test_save_a_view_and_open_it_again(board, api):
    tag = ui.unique("saved")
    ids = _seed_four(api, tag)
    ui.reload(board)
    board.fill("#ao-search", tag)
    board.select_option(".ao-view-controls select >> nth=0", "dr")
    board.check("#ao-filter-email")
    ui.expect(ui.column(board, "new").locator(".ao-card")).to_have_count(3)
    name = f"Emailable {tag}"
    board.fill("#ao-view-name", name)
    board.click(".ao-view-save")
    ui.expect(board.locator(".ao-notice", has_text="saved")).to_be_visible()
    ui.reload(board)  # a fresh page: plain board, then the view picked
    ui.expect(board.locator("#ao-views option", has_text=name)).to_have_count(1)
    board.select_option("#ao-views", label=name)
    ui.expect(board.locator("#ao-search")).to_have_value(tag)
    ui.expect(board.locator("#ao-filter-email")).to_be_checked()
    ui.expect(ui.column(board, "new").locator(".ao-card")).to_have_count(3)
    assert _shown(board) == [ids["low"], ids["mid"], ids["high"]]
    board.click(".ao-view-delete")
    ui.expect(board.locator("#ao-views option", has_text=name)).to_have_count(0)


def test_an_ahrefs_file_imported_in_wordpress_keeps_its_metrics_and_tool(board, api, tmp_path):
    tag = ui.unique("ahrefs")
    path = tmp_path / "ahrefs.csv"
    path.write_text(
        "Referring page URL,Domain rating,Domain traffic,Anchor\r\n"
        f"https://{tag}.example.org/p,71,1200,{tag} anchor\r\n",
        encoding="utf-8",
    )
    board.click(".ao-open-import")
    dialog = ui.modal(board, "import")
    dialog.locator('input[type="file"]').set_input_files(str(path))
    ui.expect(dialog.locator('.ao-map[data-column="1"]')).to_have_value("dr")
    ui.expect(dialog.locator('.ao-map[data-column="2"]')).to_have_value("traffic")
    dialog.locator(".ao-import-start").click()
    ui.expect(dialog.locator(".ao-import-counts")).to_contain_text("1 created")
    found = api.get("/api/v1/opportunities", query={"q": tag}).json()["items"]
    assert [c["metrics"]["dr"] for c in found] == [71]
    assert (found[0]["metrics"]["traffic"], found[0]["metrics"]["source"]) == (1200, "Ahrefs")


def test_a_sorted_column_keeps_its_order_when_a_card_is_dragged_in_it(board, api):
    """A reorder in a sorted view would jump back at once: it is refused and says why;
    a drag to another column still moves the card, to its place in the sort."""
    tag = ui.unique("sorted-drag")
    ids = _seed_four(api, tag)
    ui.reload(board)
    board.fill("#ao-search", tag)
    board.select_option(".ao-view-controls select >> nth=0", "-dr")
    ui.expect(ui.column(board, "new").locator(".ao-card").first).to_have_attribute(
        "data-id", str(ids["high"])
    )
    order = [ids["high"], ids["mute"], ids["mid"], ids["low"]]
    before = [c["id"] for c in api.get("/api/v1/board").json()["columns"]["new"]]
    ui.card(board, ids["low"]).drag_to(
        ui.card(board, ids["high"]), target_position={"x": 20, "y": 2}
    )
    ui.expect(board.locator(".ao-notice", has_text="The board is sorted")).to_be_visible()
    assert _shown(board) == order
    assert [c["id"] for c in api.get("/api/v1/board").json()["columns"]["new"]] == before
    ui.card(board, ids["mid"]).drag_to(ui.column(board, "queued").locator(".ao-cards"))
    ui.expect_in_column(board, ids["mid"], "queued")
    ui.expect(board.locator(".ao-notice", has_text="Moved to Queued")).to_be_visible()
    assert api.get(f"/api/v1/opportunities/{ids['mid']}").json()["status"] == "queued"
    assert _shown(board) == [ids["high"], ids["mute"], ids["low"]]
    board.select_option(".ao-view-controls select >> nth=0", "position")
