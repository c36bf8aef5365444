"""Import a 1,000-row file with the progress bar, export, insights and a card's activity."""

from __future__ import annotations

import csv
import io

import pytest

from tests.e2e import helpers as ui

ROWS = 1000
NOTES = "n" * 1100  # about 1.2 MB in all: the dialog must send it in two slices


def prospect_file(tmp_path, tag: str):
    """A Semrush-shaped backlinks export: 1,000 good rows and two bad ones."""
    lines = ["Page ascore,Source title,Source url,Target url,Anchor,Notes"]
    for i in range(ROWS):
        anchor = f"{tag} special" if i % 100 == 0 else f"anchor {i}"
        lines.append(
            f"{i % 90},Post {i},https://{tag}-{i}.example.org/p,https://mine.example/,{anchor},{NOTES}"
        )
    lines.insert(11, "5,Broken,not a url,https://mine.example/,x,")
    lines.append("5,Mail,https://ok-but.example/p,ftp://mine.example/,x,")
    path = tmp_path / "semrush-backlinks.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def remove_all(api):
    """Bulk-delete the board (clean_board deletes one card per request)."""
    board = api.get("/api/v1/board").json()
    ids = [c["id"] for cards in board["columns"].values() for c in cards]
    for start in range(0, len(ids), 500):
        r = api.post(
            "/api/v1/opportunities/bulk", json={"ids": ids[start : start + 500], "action": "delete"}
        )
        assert r.status_code == 200, r.text


def test_import_a_1000_row_file_then_export_the_search(board, api, tmp_path):
    tag = ui.unique("imp")
    path = prospect_file(tmp_path, tag)
    try:
        board.click(".ao-open-import")
        dialog = ui.modal(board, "import")
        dialog.locator('input[type="file"]').set_input_files(str(path))
        ui.expect(dialog.locator(".ao-import-mapping")).to_be_visible()
        source = dialog.locator('.ao-map[data-column="2"]')
        ui.expect(source).to_have_value("source_url")
        ui.expect(dialog.locator('.ao-map[data-column="0"]')).to_have_value("")
        ui.expect(dialog.locator(".ao-import-mapping tbody tr")).to_have_count(5)
        # The person may change a mapping: the title column becomes the contact name.
        dialog.locator('.ao-map[data-column="1"]').select_option("contact_name")

        dialog.locator(".ao-import-dry").click()
        counts = dialog.locator(".ao-import-counts")
        ui.expect(counts).to_have_text(
            "Dry run: 1000 would be created, 0 updated, 0 skipped, 2 failed."
        )
        assert api.get("/api/v1/board").json()["counts"]["new"] == 0

        dialog.locator(".ao-import-start").click()
        ui.expect(counts).to_have_text(
            "1000 created, 0 updated, 0 skipped, 2 failed.", timeout=60000
        )
        progress = dialog.locator(".ao-import-progress")
        ui.expect(progress).to_be_visible()
        assert progress.evaluate("p => p.value") == 100
        with board.expect_download() as caught:
            dialog.locator(".ao-import-failed").click()
        failed = list(csv.reader(io.StringIO(open(caught.value.path(), encoding="utf-8").read())))
        assert [row[0] for row in failed[1:]] == ["12", "1003"]
        assert "not a web address" in failed[1][1]

        dialog.locator(".ao-modal-close").click()
        ui.expect(ui.column(board, "new").locator(".ao-column-count")).to_have_text("1000")
        first = api.get("/api/v1/opportunities", query={"q": f"{tag}-0.example"}).json()["items"]
        ui.expect(ui.card(board, first[0]["id"])).to_be_visible()

        board.fill("#ao-search", f"{tag} special")
        with board.expect_download() as caught:
            board.click(".ao-export")
        exported = list(csv.DictReader(open(caught.value.path(), encoding="utf-8", newline="")))
        assert len(exported) == 10
        assert {r["anchor_text"] for r in exported} == {f"{tag} special"}
        assert all(r["notes"] == NOTES for r in exported)
    finally:
        remove_all(api)


@pytest.fixture
def pitched(api):
    """A template and three sends from it (the fake SendGrid accepts them)."""
    api.patch("/api/v1/site", json={"from_email": "outreach@example.com"})
    name = ui.unique("Pitch")
    template = ui.make_template(api, name, "About {{domain}}", "Hi, {{url}}?")
    cards = [ui.seed(api, anchor_text="insight") for _ in range(3)]
    for opp in cards:
        r = api.post(
            f"/api/v1/opportunities/{opp['id']}/emails",
            json={"to": f"{ui.unique('ed')}@example.org", "template_id": template["id"]},
        )
        assert r.status_code == 201, r.text
    return name, cards


def test_insights_chart_performance_and_a_cards_activity(board, api, pitched):
    name, cards = pitched
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    board.click(".ao-open-insights")
    dialog = ui.modal(board, "insights")
    ui.expect(dialog).to_have_class("ao-modal is-loaded")
    ui.expect(dialog.locator('[data-metric="total_sent"] .ao-metric-value')).not_to_have_text("0")
    ui.expect(dialog.locator('.ao-chart polyline[data-series="sent"]')).to_have_count(1)
    points = dialog.locator('.ao-chart polyline[data-series="sent"]').get_attribute("points")
    assert len(points.split()) == 30  # the last 30 days by default
    dialog.locator(".ao-range").select_option("7")
    ui.expect(dialog.locator('.ao-chart-legend [data-series="sent"]')).to_contain_text("Sends: ")
    row = dialog.locator(".ao-perf-templates tr", has_text=name)
    ui.expect(row.locator("td").first).to_have_text("3")
    dialog.locator(".ao-modal-close").click()

    ui.card(board, cards[0]["id"]).click(position={"x": 60, "y": 40})
    panel = ui.modal(board, "card")
    panel.locator(".ao-tab-activity").click()
    activity = panel.locator(".ao-activity")
    ui.expect(activity.locator('li[data-action="email.reserve"]')).to_have_count(1)
    ui.expect(activity.locator('li[data-action="opportunity.create"]')).to_contain_text(
        "admin added"
    )
    panel.locator(".ao-modal-close").click()

    board.click(".ao-open-activity")
    log = ui.modal(board, "activity")
    ui.expect(
        log.locator('.ao-activity li[data-action="opportunity.create"]').first
    ).to_be_visible()
    ui.expect(log.locator(".ao-activity-newer")).to_be_disabled()


def test_the_activity_screen_lists_who_did_what(board, api, stack, viewer_context):
    opp = ui.seed(api)
    api.patch(f"/api/v1/opportunities/{opp['id']}", json={"anchor_text": "changed on the board"})
    board.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
    board.locator("#adminmenu a[href$='page=almaseo-outreach-activity']").click()
    board.wait_for_selector("#ao-activity-app .ao-activity")
    rows = board.locator("#ao-activity-app .ao-activity-entry")
    domain = api.get(f"/api/v1/opportunities/{opp['id']}").json()["domain"]
    edited = rows.filter(has_text=f"edited {domain}").first
    ui.expect(edited).to_have_attribute("data-action", "opportunity.update")
    # user 1's display name, the card's domain and the field changed
    ui.expect(edited).to_contain_text(f"admin edited {domain} (Anchor text)")
    assert ui.admin_page_status(viewer_context, stack, "almaseo-outreach-activity") == 403
