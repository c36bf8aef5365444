"""Import, Insights and Templates get room: full-height dialogs; the import's results sit
beside its buttons, skipped rows are explained per reason and unchanged ones counted apart."""

from __future__ import annotations

import pytest

from tests.e2e import helpers as ui

IMPORT_ROUTE = "**/almaseo-outreach/v1/opportunities/import*"
EXTRA = [f"Metric {i}" for i in range(34)]  # an SEO tool's export: 37 columns in all


def wide_file(tmp_path, rows: list[tuple[str, str]]):
    """A 37-column CSV of (source URL, anchor) rows."""
    lines = [",".join(["Source url", "Target url", "Anchor", *EXTRA])]
    for url, anchor in rows:
        lines.append(",".join([url, "https://mine.example/", anchor, *["7"] * len(EXTRA)]))
    path = tmp_path / f"{ui.unique('wide')}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def height_share(page, locator) -> float:
    box = locator.bounding_box()
    return box["height"] / page.viewport_size["height"]


@pytest.mark.parametrize(
    ("opener", "name"),
    [
        (".ao-open-import", "import"),
        (".ao-open-insights", "insights"),
        (".ao-open-templates", "templates"),
    ],
)
def test_import_insights_and_templates_open_full_height(board, opener, name):
    board.click(opener)
    dialog = ui.modal(board, name)
    ui.expect(dialog).to_be_visible()
    assert height_share(board, dialog) > 0.85
    assert dialog.bounding_box()["width"] > 0.8 * board.viewport_size["width"]


def test_results_beside_the_buttons_and_skipped_rows_explained(board, api, tmp_path):
    tag = ui.unique("why")
    on_board = ui.seed(api, source_url=f"https://{tag}-0.example.org/p")
    rows = [(f"https://{tag}-{i}.example.org/p", f"anchor {i}") for i in range(40)]
    rows.append(rows[5])  # the same page twice in one file
    path = wide_file(tmp_path, rows)

    def reasons(body):
        # The service's answer names the reasons once docs/api.md has `skipped_reasons`.
        if "skipped_reasons" not in body and body.get("skipped") == 2:
            body["skipped_reasons"] = {"on_board": 1, "earlier_in_file": 1}

    ui.add_to_answer(board, IMPORT_ROUTE, reasons)
    board.click(".ao-open-import")
    dialog = ui.modal(board, "import")
    dialog.locator('input[type="file"]').set_input_files(str(path))
    ui.expect(dialog.locator(".ao-import-mapping")).to_be_visible()
    dialog.locator(".ao-import-dry").click()
    counts = dialog.locator(".ao-import-counts")
    ui.expect(counts).to_have_text("Dry run: 39 would be created, 0 updated, 2 skipped, 0 failed.")
    # Pinned beside the buttons, in view without scrolling past the 37-column preview.
    ui.expect(counts).to_be_in_viewport()
    dry = dialog.locator(".ao-import-dry").bounding_box()
    shown = counts.bounding_box()
    assert abs((shown["y"] + shown["height"] / 2) - (dry["y"] + dry["height"] / 2)) < 40
    why = dialog.locator(".ao-import-reasons")
    ui.expect(why).to_contain_text("already on the board: 1")
    ui.expect(why).to_contain_text("repeated in the file: 1")
    assert api.get(f"/api/v1/opportunities/{on_board['id']}").status_code == 200


def test_update_mode_counts_unchanged_rows_apart_from_skipped(board, api, tmp_path):
    tag = ui.unique("same")
    same = ui.seed(
        api,
        source_url=f"https://{tag}-0.example.org/p",
        anchor_text="anchor 0",
        target_url="https://mine.example/",
    )
    other = ui.seed(
        api,
        source_url=f"https://{tag}-1.example.org/p",
        anchor_text="old words",
        target_url="https://mine.example/",
    )
    path = wide_file(tmp_path, [(same["source_url"], "anchor 0"), (other["source_url"], "new")])

    def reasons(body):
        if "skipped_reasons" not in body and body.get("skipped") == 1:
            body["skipped_reasons"] = {"unchanged": 1}

    ui.add_to_answer(board, IMPORT_ROUTE, reasons)
    board.click(".ao-open-import")
    dialog = ui.modal(board, "import")
    dialog.locator('input[type="file"]').set_input_files(str(path))
    ui.expect(dialog.locator(".ao-import-mapping")).to_be_visible()
    dialog.locator("[data-field='on_duplicate'] select").select_option("update")
    dialog.locator(".ao-import-start").click()
    ui.expect(dialog.locator(".ao-import-counts")).to_have_text(
        "0 created, 1 updated, 1 unchanged, 0 skipped, 0 failed."
    )
    assert api.get(f"/api/v1/opportunities/{other['id']}").json()["anchor_text"] == "new"
