"""The smaller things a person notices: plurals, the do-not-contact warning before a send,
the scheduled line on a card, a reply's line breaks, the panel's column after a link
check, and the contrast of the Templates "Delete" link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e import helpers as ui
from tests.e2e.stack import ROOT
from tests.links.pages import PageServer, html

AXE = ROOT / "wp-bridge" / "node_modules" / "axe-core" / "axe.min.js"
OVERLAP = """([a, b]) => {
    const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
    return !(r.bottom <= s.top || s.bottom <= r.top || r.right <= s.left || s.right <= r.left);
}"""


def tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).isoformat()


def test_counts_are_plural_aware(board, api):
    tag = ui.unique("plural")
    for value in (f"{tag}.example.org", f"{tag}.example.net"):
        assert api.post("/api/v1/suppressions", json={"value": value}).status_code == 201
    board.click(".ao-open-suppressions")
    dialog = ui.modal(board, "suppressions")
    dialog.locator(".ao-dnc-search").fill(f"{tag}.example.org")
    ui.expect(dialog.locator(".ao-dnc-total")).to_have_text("1 entry on the list.")
    dialog.locator(".ao-dnc-search").fill(tag)
    ui.expect(dialog.locator(".ao-dnc-total")).to_have_text("2 entries on the list.")


def test_do_not_contact_shows_on_the_card_and_before_a_send(board, api, sender):
    domain = ui.unique("dnc") + ".example.org"
    listed = api.post("/api/v1/suppressions", json={"value": domain, "note": "asked us"})
    assert listed.status_code == 201, listed.text
    opp = ui.seed(api, contact_email=f"editor@news.{domain}")

    def flag(body):
        # The board's cards carry `do_not_contact` once docs/api.md has it.
        cards = [c for col in body.get("columns", {}).values() for c in col]
        for each in cards + body.get("cards", []):
            if each["id"] == opp["id"] and "do_not_contact" not in each:
                each["do_not_contact"] = {"value": domain, "reason": "manual"}

    ui.add_to_answer(board, "**/almaseo-outreach/v1/board*", flag)
    ui.reload(board)
    badge = ui.card(board, opp["id"]).locator(".ao-badge-dnc")
    ui.expect(badge).to_have_text("Do not contact")
    dialog = ui.card_dialog(board, opp["id"], "send")
    warning = dialog.locator(".ao-dnc-warning")
    ui.expect(warning).to_contain_text(domain)
    ui.expect(warning).to_contain_text("Added by hand")
    ui.field(dialog, "to").fill(f"{ui.unique('free')}@example.net")
    ui.field(dialog, "to").blur()
    ui.expect(warning).to_be_hidden()
    ui.field(dialog, "to").fill(f"editor@news.{domain}")
    ui.field(dialog, "to").blur()
    ui.expect(warning).to_be_visible()


def test_the_scheduled_line_stays_on_its_own_line(board, api, sender):
    board.set_viewport_size({"width": 1024, "height": 768})
    opp = ui.seed(api, anchor_text="a long anchor text " * 5, contact_email="ed@example.org")
    sent = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"to": "ed@example.org", "subject": "Hi", "body": "{{url}}", "send_at": tomorrow()},
    )
    assert sent.status_code == 202, sent.text  # accepted for later
    ui.reload(board)
    node = ui.card(board, opp["id"])
    line = node.locator(".ao-card-scheduled")
    ui.expect(line).to_contain_text("Scheduled for")
    anchor = node.locator(".ao-card-anchor").element_handle()
    assert not board.evaluate(OVERLAP, [anchor, line.element_handle()])
    box, inside = node.bounding_box(), line.bounding_box()
    assert inside["y"] + inside["height"] <= box["y"] + box["height"]
    assert inside["height"] < 20  # one line, cut with an ellipsis, full text on hover
    assert line.get_attribute("title")


def test_a_reply_keeps_its_line_breaks_and_the_full_text_wraps(
    board, api, sender, stack, fake_sendgrid
):
    opp = ui.seed(api)
    text = "First line.\nSecond line.\n\nOn Mon, Alma wrote:\n> " + "x" * 400
    ui.send_and_reply(api, fake_sendgrid, stack, opp, text)
    ui.reload(board)
    reply = ui.card_dialog(board, opp["id"], "history").locator(".ao-reply")
    reply.locator("summary").click()
    assert reply.locator(".ao-reply-text").inner_text() == "First line.\nSecond line."
    full = reply.locator(".ao-reply-full")
    ui.expect(full).to_contain_text("xxxx")
    assert full.evaluate("n => n.scrollWidth <= n.clientWidth"), "the full text runs off"


def test_the_panel_header_follows_a_link_check_that_moved_the_card(board, api):
    pages = PageServer()
    try:
        target = "https://almaseo.example/guide"
        pages.routes["/mention"] = html(f'<p>See <a href="{target}">the guide</a></p>')
        opp = ui.seed(api, source_url=pages.url("/mention"), target_url=target, status="reached")
        ui.reload(board)
        ui.card(board, opp["id"]).click(position={"x": 60, "y": 40})
        panel = ui.modal(board, "card")
        ui.expect(panel.locator(".ao-detail-column")).to_have_text("Reached")
        panel.locator(".ao-tab-link").click()
        panel.locator(".ao-action-check-link").click()
        ui.expect(panel.locator(".ao-link-result")).to_have_text("Link status: Live")
        assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"] == "won"
        ui.expect(panel.locator(".ao-detail-column")).to_have_text("Won")
    finally:
        pages.stop()


def test_the_templates_delete_link_has_enough_contrast(board, api):
    if not AXE.exists():
        pytest.skip("axe-core is installed by npm ci in wp-bridge/ (scripts/ci-bridge-deps.sh)")
    ui.make_template(api, ui.unique("Contrast"), "Hi", "{{url}}")
    board.click(".ao-open-templates")
    dialog = ui.modal(board, "templates")
    ui.expect(dialog.locator(".ao-delete").first).to_be_visible()
    board.add_script_tag(path=str(AXE))
    found = board.evaluate(
        """async () => {
            const dialog = document.querySelector('.ao-modal[data-modal="templates"]');
            const result = await axe.run(dialog, {runOnly: ['color-contrast']});
            return result.violations.flatMap((v) => v.nodes.map((n) => n.html));
        }"""
    )
    assert found == [], found
