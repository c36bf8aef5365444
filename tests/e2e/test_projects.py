"""Projects and client reports in WordPress and the share page a client opens (issue 27,
docs/api.md §19): two projects, an import into one, the board filtered by it, its report,
the share link opened logged out, then revoked."""

from __future__ import annotations

import re

from tests.e2e import helpers as ui
from tests.e2e.test_small_fixes import AXE


def _project(api, name: str) -> dict:
    made = api.post("/api/v1/projects", json={"name": name, "client": name + " Inc."})
    assert made.status_code == 201, made.text
    return made.json()


def _import(api, project_id: int, url: str, contact: str) -> int:
    body = f"source_url,contact_email\n{url},{contact}\n".encode()
    r = api.post("/api/v1/opportunities/import", data=body, query={"project_id": project_id},
                 headers={"Content-Type": "text/csv"})  # fmt: skip
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    found = api.get("/api/v1/opportunities", query={"project_id": project_id}).json()
    return next(c["id"] for c in found["items"] if c["source_url"] == url)


def _serious(page, html: str) -> list:
    """axe-core's serious and critical violations of the share page's markup."""
    page.set_content(html)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document)).violations
            .filter((v) => ['serious', 'critical'].includes(v.impact))
            .map((v) => v.id)"""
    )


def _filtered(board, project, shown: int, hidden: int) -> None:
    _filtered_to(board, project, shown, hidden)
    ui.expect(ui.column(board, "won").locator(".ao-card")).to_have_count(1)


def test_filter_by_project_report_and_share_link(board, api, browser):
    tag = ui.unique("proj")
    acme, other = _project(api, f"{tag} Acme"), _project(api, f"{tag} Other")
    url = f"https://{tag}.example.org/guest-post"
    won = _import(api, acme["id"], url, "secret@contact.example")
    elsewhere = ui.seed(api, project_id=other["id"], anchor_text=tag)
    moved = api.post(f"/api/v1/opportunities/{won}/move", json={"status": "won"})
    assert moved.status_code == 200, moved.text
    ui.reload(board)
    try:
        _filtered(board, acme, won, elsewhere["id"])
    finally:  # the choice is remembered per user: later tests want the whole board
        board.select_option("#ao-filter-project", "")
    report = api.get(f"/api/v1/projects/{acme['id']}/report").json()
    assert [link["source_url"] for link in report["links"]] == [url]
    dialog = _open_report(board, acme)
    ui.expect(dialog.locator(".ao-report-links")).to_contain_text(url)
    dialog.locator(".ao-copy-share").click()
    ui.expect(dialog.locator(".ao-share-url")).to_have_value(re.compile(r"/r/"))
    link = dialog.locator(".ao-share-url").input_value()
    stranger = browser.new_context()  # no WordPress cookie, no key
    try:
        page = stranger.new_page()
        answer = page.goto(link)
        assert answer.status == 200
        ui.expect(page.locator("table")).to_contain_text(url)
        html = page.content()
        assert "secret@contact.example" not in html
        if AXE.exists():
            assert _serious(stranger.new_page(), html) == []
        dialog.locator(".ao-revoke-share").click()
        ui.expect(dialog.locator(".ao-share-url")).to_have_value("")
        assert page.goto(link).status == 404
    finally:
        stranger.close()


def _open_report(board, project):
    """The Projects dialog, the project's Report view in it."""
    board.click(".ao-open-projects")
    dialog = ui.modal(board, "projects")
    row = dialog.locator(f'.ao-project[data-id="{project["id"]}"]')
    ui.expect(row).to_contain_text(project["name"])
    row.locator(".ao-open-report").click()
    return dialog


def test_import_into_a_project_and_bulk_assign_one(board, api, tmp_path):
    tag = ui.unique("projimp")
    acme = _project(api, f"{tag} Acme")
    loose = ui.seed(api, anchor_text=f"{tag} loose")
    path = tmp_path / "prospects.csv"
    path.write_text(f"source_url,anchor_text\nhttps://{tag}.example.org/p,{tag} imported\n")
    ui.reload(board)  # the picker and the dialogs know the new project
    board.click(".ao-open-import")
    dialog = ui.modal(board, "import")
    dialog.locator('input[type="file"]').set_input_files(str(path))
    ui.expect(dialog.locator(".ao-import-mapping")).to_be_visible()
    dialog.locator('select[name="project_id"]').select_option(str(acme["id"]))
    dialog.locator(".ao-import-start").click()
    ui.expect(dialog.locator(".ao-import-counts")).to_contain_text("1 created")
    dialog.locator(".ao-modal-close").click()
    found = api.get("/api/v1/opportunities", query={"project_id": acme["id"]}).json()
    assert [c["anchor_text"] for c in found["items"]] == [f"{tag} imported"]
    board.fill("#ao-search", f"{tag} loose")
    ui.card(board, loose["id"]).locator(".ao-card-select").check()
    bar = board.locator(".ao-bulk")
    bar.locator(".ao-bulk-project").focus()
    ui.expect(bar.locator(f'.ao-bulk-project option[value="{acme["id"]}"]')).to_have_count(1)
    bar.locator(".ao-bulk-project").select_option(str(acme["id"]))
    bar.locator(".ao-bulk-assign-project").click()
    ui.expect(bar.locator(".ao-bulk-result")).to_contain_text("1 done, 0 failed")
    assert api.get(f"/api/v1/opportunities/{loose['id']}").json()["project_id"] == acme["id"]
    board.fill("#ao-search", "")


def test_a_project_is_edited_in_the_projects_dialog(board, api):
    project = _project(api, ui.unique("Edit me"))
    board.click(".ao-open-projects")
    dialog = ui.modal(board, "projects")
    row = dialog.locator(f'.ao-project[data-id="{project["id"]}"]')
    row.locator(".ao-edit-project").click()
    ui.expect(dialog.locator("#ao-project-name")).to_have_value(project["name"])
    renamed = ui.unique("Renamed")
    dialog.locator("#ao-project-name").fill(renamed)
    dialog.locator("#ao-project-client").fill("New client")
    dialog.locator("#ao-project-color").fill("#aa3300")
    dialog.locator(".ao-save-project").click()
    ui.expect(row).to_contain_text(renamed)
    ui.expect(dialog.locator(".ao-add-project")).to_be_visible()  # back to adding
    saved = api.get(f"/api/v1/projects/{project['id']}").json()
    assert (saved["name"], saved["client"], saved["color"]) == (renamed, "New client", "#aa3300")


def test_a_card_link_opens_a_card_the_remembered_project_hides(board, api, stack):
    """A Slack link names a card of another project than the one the board remembers: the
    card is read by itself and opens; a deleted card's link says it is gone."""
    tag = ui.unique("link")
    acme, other = _project(api, f"{tag} Acme"), _project(api, f"{tag} Other")
    shown = ui.seed(api, project_id=acme["id"], anchor_text=tag)
    hidden = ui.seed(api, project_id=other["id"], anchor_text=tag)
    gone = ui.seed(api, project_id=other["id"], anchor_text=tag)
    assert api.delete(f"/api/v1/opportunities/{gone['id']}").status_code in (200, 204)
    ui.reload(board)
    try:
        _filtered_to(board, acme, shown["id"], hidden["id"])
        page = f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach"
        board.goto(f"{page}&card={hidden['id']}")
        board.wait_for_selector("#ao-app.is-ready")
        ui.expect(ui.card(board, hidden["id"])).to_have_count(0)  # the project still hides it
        panel = ui.modal(board, "card")
        ui.expect(panel).to_contain_text(hidden["domain"])
        board.goto(f"{page}&card={gone['id']}")
        board.wait_for_selector("#ao-app.is-ready")
        ui.expect(board.locator(".ao-notice", has_text="linked card was not found")).to_be_visible()
        ui.expect(ui.modal(board, "card")).to_have_count(0)
    finally:  # the choice is remembered per user: later tests want the whole board
        board.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
        board.wait_for_selector("#ao-app.is-ready")
        board.select_option("#ao-filter-project", "")


def _filtered_to(board, project, shown: int, hidden: int) -> None:
    board.select_option("#ao-filter-project", str(project["id"]))
    ui.expect(ui.card(board, shown)).to_be_visible()
    ui.expect(ui.card(board, hidden)).to_have_count(0)
