"""Link monitoring in a real wp-admin: check a card's link now, see Live; watch backlinks."""

from __future__ import annotations

import pytest

from tests.e2e import helpers as ui
from tests.links.pages import PageServer, html
from tests.support.processes import wait_for

TARGET = "https://almaseo.example/guide"
SECONDS = 1 / 3600  # an interval of one second, in the settings' hours


@pytest.fixture
def pages():
    server = PageServer()
    yield server
    server.stop()


def test_check_a_cards_link_now_and_see_it_live(board, api, pages):
    pages.routes["/review"] = html(f'<p>Read <a href="{TARGET}">the guide</a></p>')
    opp = ui.seed(api, source_url=pages.url("/review"), target_url=TARGET, anchor_text="guide")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    ui.expect(ui.card(board, opp["id"]).locator(".ao-link-badge")).to_have_count(0)  # unchecked
    ui.card(board, opp["id"]).click(position={"x": 60, "y": 40})
    panel = ui.modal(board, "card")
    panel.locator(".ao-tab-link").click()
    ui.expect(panel.locator(".ao-link-history")).to_contain_text("Not checked yet.")
    panel.locator(".ao-action-check-link").click()
    ui.expect(panel.locator(".ao-link-result")).to_have_text("Link status: Live")
    row = panel.locator(".ao-link-check").first
    ui.expect(row).to_have_attribute("data-status", "live")
    ui.expect(row).to_contain_text("HTTP 200")
    ui.expect(row).to_contain_text("the guide")
    badge = ui.card(board, opp["id"]).locator(".ao-link-badge")
    ui.expect(badge).to_have_text("Live")
    assert badge.get_attribute("title").startswith("Last checked ")
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["link_status"] == "live"


def test_watched_backlinks_are_added_pasted_and_deleted(board, api):
    board.click(".ao-open-backlinks")
    dialog = ui.modal(board, "backlinks")
    one = f"https://{ui.unique('watched')}.example.org/post"
    dialog.locator('[data-field="source_url"] input').fill(one)
    dialog.locator(".ao-add-backlinks").click()
    ui.expect(dialog.locator(".ao-backlink", has_text=one)).to_be_visible()
    pasted = [f"https://{ui.unique('pasted')}.example.org/{i} {TARGET}" for i in range(2)]
    dialog.locator('[data-field="backlinks"] textarea').fill("\n".join(pasted + [pasted[0]]))
    dialog.locator(".ao-add-backlinks").click()
    ui.expect(board.locator(".ao-notice", has_text="2 added, 1 already watched")).to_be_visible()
    ui.expect(dialog.locator(".ao-backlink")).to_have_count(3)
    uploaded = f"https://{ui.unique('uploaded')}.example.org/post"
    csv = f"source_url,target_url\n{uploaded},{TARGET}\n".encode()
    dialog.locator(".ao-backlinks-file").set_input_files(
        files=[{"name": "links.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    ui.expect(dialog.locator('[data-field="backlinks"] textarea')).to_have_value(csv.decode())
    dialog.locator(".ao-add-backlinks").click()
    ui.expect(dialog.locator(".ao-backlink", has_text=uploaded)).to_be_visible()
    dialog.locator(".ao-backlink", has_text=one).locator(".ao-delete-backlink").click()
    ui.expect(dialog.locator(".ao-backlink")).to_have_count(3)
    listed = api.get("/api/v1/backlinks").json()["items"]
    for link in listed:
        assert api.delete(f"/api/v1/backlinks/{link['id']}").status_code == 204


def test_link_check_settings_take_fractions(board, api):
    board.click(".ao-open-site")
    dialog = ui.modal(board, "site")
    ui.expect(ui.field(dialog, "link_check_reached_hours")).to_have_value("24")
    ui.field(dialog, "link_check_reached_hours").fill("0.5")
    ui.field(dialog, "link_lost_after").fill("-1")
    dialog.locator(".ao-save").click()
    ui.expect(dialog.locator('[data-field="link_lost_after"] .ao-field-error')).to_be_visible()
    ui.field(dialog, "link_lost_after").fill("3")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    try:
        site = api.get("/api/v1/site").json()
        assert (site["link_check_reached_hours"], site["link_lost_after"]) == (0.5, 3)
    finally:
        api.patch("/api/v1/site", json={"link_check_reached_hours": 24, "link_lost_after": 2})


@pytest.fixture
def fast_checks(api):
    """Checks every second while the test runs (the stack's scheduler passes every second)."""
    yield lambda **values: api.patch("/api/v1/site", json=values).raise_for_status()
    api.patch(
        "/api/v1/site",
        json={
            "link_check_reached_hours": 24,
            "link_check_won_hours": 168,
            "link_lost_after": 2,
            "link_retry_hours": 1,
        },
    ).raise_for_status()


def test_a_reached_card_whose_page_links_to_us_turns_won_by_itself(board, api, pages, fast_checks):
    pages.routes["/reached"] = html(f'<a href="{TARGET}">guide</a>')
    opp = ui.seed(api, source_url=pages.url("/reached"), target_url=TARGET, status="reached")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    ui.expect_in_column(board, opp["id"], "reached")
    fast_checks(link_check_reached_hours=SECONDS, link_lost_after=100)
    ui.expect_in_column(board, opp["id"], "won")  # the board's poll brings the move
    ui.expect(ui.card(board, opp["id"]).locator(".ao-link-badge")).to_have_text("Live")


def test_a_watched_backlink_that_loses_its_link_comes_back_as_a_lost_link_card(
    board, api, pages, fast_checks
):
    fast_checks(link_check_won_hours=SECONDS, link_retry_hours=SECONDS, link_lost_after=2)
    pages.routes["/watched"] = html(f'<a href="{TARGET}">guide</a>')
    source = pages.url("/watched")
    api.post(
        "/api/v1/backlinks", json={"backlinks": [{"source_url": source, "target_url": TARGET}]}
    )
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    link = lambda: api.get("/api/v1/backlinks").json()["items"][0]  # noqa: E731
    wait_for(lambda: link()["status"] == "live", 30)  # checked at once, seen live
    pages.routes["/watched"] = html("<p>the link is gone</p>")
    lost = ui.column(board, "new").locator(".ao-card", has=board.locator(".ao-badge-lost"))
    ui.expect(lost).to_have_count(1, timeout=30000)
    ui.expect(lost.locator(".ao-card-domain")).to_have_attribute("href", source)
    assert lost.locator(".ao-badge-lost").get_attribute("title").startswith("Last seen live on ")
    assert link()["lost_at"] and link()["opportunity_id"]
    opp = api.get(f"/api/v1/opportunities/{link()['opportunity_id']}").json()
    assert (opp["origin"], opp["lost_link"]) == ("link_check", True)
    api.delete(f"/api/v1/backlinks/{link()['id']}")
