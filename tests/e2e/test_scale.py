"""The board at agency scale (500 cards): layout, deep drag, filtered drop, editing, bulk,
live badges, focus and the phone layout, in a real wp-admin."""

from __future__ import annotations

import pytest

from tests.e2e import helpers as ui
from tests.support.browser import board_tab

MANY = 500
ROW = 82  # lane.js: one card plus its gap


@pytest.fixture(scope="module")
def many(api):
    """500 cards in New (signed API calls, not UI clicks); 51 of them share a word (one is
    dragged away while filtering, 50 are bulk-moved)."""
    ui.clean_board(api)
    word = ui.unique("bulkable")
    ids = []
    for i in range(MANY):
        anchor = f"{word} {i}" if i % 10 == 0 or i == 1 else f"anchor {i}"
        body = {"source_url": f"https://site{i}.example.org/post-{i}", "anchor_text": anchor}
        response = api.post("/api/v1/opportunities", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    yield {"ids": ids, "word": word}
    ui.clean_board(api)


@pytest.fixture
def page(admin_context, stack, many, request):
    """A board tab at 1280x800 on the 500 cards (not emptied, unlike `board`)."""
    yield from board_tab(admin_context, stack, request, {"width": 1280, "height": 800})


def lane(page, status):
    return ui.column(page, status).locator(".ao-lane")


def scroll_lane(page, status, top):
    lane(page, status).evaluate("(n, top) => { n.scrollTop = top; }", top)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_four_headers_side_by_side_and_a_short_page(page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.wait_for_function("() => document.querySelectorAll('.ao-card').length > 0")
    ui.expect(ui.column(page, "new").locator(".ao-column-count")).to_have_text(str(MANY))
    boxes = [
        ui.column(page, s).locator(".ao-column-title").bounding_box()
        for s in ("new", "queued", "reached", "won")
    ]
    assert all(b and b["x"] >= 0 and b["x"] + b["width"] <= size[0] + 1 for b in boxes), boxes
    assert all(b["y"] + b["height"] <= size[1] for b in boxes), boxes
    assert len({round(b["y"]) for b in boxes}) == 1  # one row: side by side, never wrapped
    assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    doc, view = page.evaluate("() => [document.documentElement.scrollHeight, window.innerHeight]")
    assert doc <= 2 * view, (doc, view)
    drawn = page.locator('.ao-column[data-status="new"] .ao-card').count()
    assert 0 < drawn < 60, drawn  # only what is on screen plus a buffer


def test_drag_from_deep_inside_new_to_reached(page, api, many):
    deep = many["ids"][401]
    scroll_lane(page, "new", 401 * ROW - 100)
    ui.expect(ui.card(page, deep)).to_be_visible()
    ui.expect(ui.column(page, "new").locator(".ao-column-title")).to_be_in_viewport()
    ui.card(page, deep).drag_to(ui.column(page, "reached").locator(".ao-cards"))
    ui.expect_in_column(page, deep, "reached")
    ui.expect(page.locator(".ao-notice", has_text="Moved to Reached")).to_be_visible()
    assert api.get(f"/api/v1/opportunities/{deep}").json()["status"] == "reached"


def test_drop_while_filtering_lands_where_it_was_shown(page, api, many):
    word = many["word"]
    queued = [ui.seed(api, status="queued", anchor_text=f"{word} q{i}")["id"] for i in range(3)]
    others = [ui.seed(api, status="queued", anchor_text=f"plain q{i}")["id"] for i in range(3)]
    page.reload()
    page.wait_for_selector("#ao-app.is-ready")
    page.fill("#ao-search", word)
    moving = many["ids"][10]  # matches the word
    target = queued[1]
    ui.expect(ui.column(page, "queued").locator(".ao-card")).to_have_count(3)
    ui.card(page, moving).drag_to(ui.card(page, target), target_position={"x": 20, "y": 2})
    ui.expect(page.locator(".ao-notice", has_text="Moved to Queued")).to_be_visible()
    order = [c["id"] for c in api.get("/api/v1/board").json()["columns"]["queued"]]
    # Shown: q0 q1 q2 (plain ones hidden). Dropped above q1, so right before q1 in the column.
    assert order.index(moving) == order.index(target) - 1, order
    assert set(others) <= set(order)


def test_edit_anchor_in_the_detail_panel_then_send_a_template_using_it(page, api, fake_sendgrid):
    if fake_sendgrid is None:
        pytest.skip("fake SendGrid not available")
    api.patch("/api/v1/site", json={"from_email": "outreach@example.com"})
    body = "Hi,\n\nCould you link {{anchor_text}} to {{target_url}}?"
    template = ui.make_template(api, ui.unique("Anchor pitch"), "About {{anchor_text}}", body)
    opp = ui.seed(api, status="queued", target_url="https://almaseo.example/x")
    page.reload()
    page.wait_for_selector("#ao-app.is-ready")
    ui.card(page, opp["id"]).click(position={"x": 60, "y": 40})
    panel = ui.modal(page, "card")
    ui.expect(panel).to_be_visible()
    ui.field(panel, "anchor_text").fill("x" * 600)
    assert len(ui.field(panel, "anchor_text").input_value()) == 500  # maxlength, before sending
    ui.field(panel, "anchor_text").fill("link building guide")
    panel.locator(".ao-save").click()
    ui.expect(page.locator(".ao-notice", has_text="Card saved")).to_be_visible()
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["anchor_text"] == (
        "link building guide"
    )
    ui.expect(ui.card(page, opp["id"]).locator(".ao-card-anchor")).to_have_text(
        "link building guide"
    )
    panel.locator(".ao-tab-emails").click()
    panel.locator(".ao-action-send").click()
    dialog = ui.modal(page, "send")
    ui.expect(ui.field(dialog, "template_id").locator("option")).not_to_have_count(1)
    ui.field(dialog, "template_id").select_option(label=template["name"])
    to = f"{ui.unique('anchor')}@example.org"
    ui.field(dialog, "to").fill(to)
    dialog.locator(".ao-send").click()
    ui.expect(dialog).to_have_count(0)
    sent = [
        m
        for m in fake_sendgrid.messages
        if m["request"]["personalizations"][0]["to"][0]["email"] == to
    ]
    assert sent and sent[-1]["request"]["subject"] == "About link building guide"


def test_bulk_move_fifty_cards(page, api, many):
    """Select a column's matching cards (about 50) and move them together."""
    probe = api.post(
        "/api/v1/opportunities/bulk", json={"ids": [], "action": "move", "status": "won"}
    )
    assert probe.status_code == 422, (
        f"the bulk route must answer (an empty list is a 422): {probe.text}"
    )
    columns = api.get("/api/v1/board").json()["columns"]
    expected = [c["id"] for c in columns["new"] if many["word"] in (c["anchor_text"] or "")]
    page.fill("#ao-search", many["word"])
    new = ui.column(page, "new")
    ui.expect(new.locator(".ao-column-count")).to_contain_text("of")
    shown = int(new.locator(".ao-column-count").inner_text().split()[0])
    assert shown == len(expected) >= 50  # 51 seeded; one may have been dragged away
    new.locator(".ao-select-column").check()
    bar = page.locator(".ao-bulk")
    ui.expect(bar.locator(".ao-bulk-count")).to_have_text(f"{shown} selected")
    bar.locator(".ao-bulk-status").select_option("won")
    bar.locator(".ao-bulk-move").click()
    ui.expect(bar.locator(".ao-bulk-result")).to_contain_text(f"{shown} done, 0 failed")
    won = [c["id"] for c in api.get("/api/v1/board").json()["columns"]["won"]]
    assert set(expected) <= set(won)
    ui.expect(new.locator(".ao-card")).to_have_count(0)


def test_webhook_changes_a_badge_within_five_seconds(page, api, stack, fake_sendgrid):
    if fake_sendgrid is None:
        pytest.skip("fake SendGrid not available")
    api.patch("/api/v1/site", json={"from_email": "outreach@example.com", "daily_limit": 1000})
    opp = ui.seed(api, status="reached", target_url="https://almaseo.example/live")
    to = f"{ui.unique('live')}@example.org"
    sent = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"to": to, "subject": "Hi", "body": "About {{url}}"},
    )
    assert sent.status_code == 201, sent.text
    status = ui.card(page, opp["id"]).locator(".ao-email-status")
    ui.expect(status).to_have_text("Sent", timeout=10000)
    marker = page.evaluate("() => (window.__marker = Math.random())")
    message = [
        m
        for m in fake_sendgrid.messages
        if m["request"]["personalizations"][0]["to"][0]["email"] == to
    ][-1]
    hook = stack.service_url + "/sendgrid/webhook"
    assert fake_sendgrid.post_events(hook, [fake_sendgrid.event(message, "open")]).ok
    ui.expect(status).to_have_text("Opened", timeout=5000)
    assert page.evaluate("() => window.__marker") == marker  # no reload


def test_focus_stays_on_the_card_after_a_dialog_save(page, api, many):
    target = many["ids"][5]
    ui.expect(ui.card(page, target)).to_be_visible()
    dialog = ui.card_dialog(page, target, "notes")
    ui.field(dialog, "notes").fill("focus check")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    ui.expect(ui.card(page, target)).to_be_focused()
    ui.expect(ui.card(page, target).locator(".ao-notes-indicator")).to_be_visible()
    ui.expect(ui.card(page, target)).to_be_focused()  # the refresh after the save kept it
    assert page.evaluate("() => window.scrollY") < 200


def test_delete_confirmation_opens_on_cancel(page, many):
    ui.expect(ui.card_dialog(page, many["ids"][6], "delete").locator(".ao-cancel")).to_be_focused()
    page.keyboard.press("Escape")


def test_phone_width_one_column_at_a_time_without_sideways_scroll(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("() => document.querySelectorAll('.ao-card').length > 0")
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, wide
    ui.expect(page.locator(".ao-switcher")).to_be_visible()
    ui.expect(ui.column(page, "new")).to_be_visible()
    ui.expect(ui.column(page, "reached")).to_be_hidden()
    page.locator('.ao-switch[data-status="reached"]').click()
    ui.expect(ui.column(page, "reached")).to_be_visible()
    ui.expect(ui.column(page, "new")).to_be_hidden()
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, wide


def test_polls_are_cheap_304_or_a_delta(page, api, many):
    polls = []
    page.on(
        "response", lambda r: polls.append(r) if "/almaseo-outreach/v1/board" in r.url else None
    )
    with page.expect_response(
        lambda r: "/almaseo-outreach/v1/board" in r.url and "since=" in r.url, timeout=15000
    ) as first:
        pass
    assert first.value.status in (200, 304)
    raw = page.evaluate("""async () => {
        const nonce = wp.apiFetch.nonceMiddleware.nonce;
        const url = '/wp-json/almaseo-outreach/v1/board';
        const one = await fetch(url, {headers: {'X-WP-Nonce': nonce}});
        const etag = one.headers.get('ETag');
        await one.text();
        const two = await fetch(url, {headers: {'X-WP-Nonce': nonce, 'If-None-Match': etag}});
        return {etag, status: two.status, body: (await two.text()).length};
    }""")
    assert raw["etag"] and raw["status"] == 304 and raw["body"] == 0, raw
    target = many["ids"][7]
    assert (
        api.put(
            f"/api/v1/opportunities/{target}/notes", json={"notes": "changed elsewhere"}
        ).status_code
        == 200
    )
    ui.expect(ui.card(page, target).locator(".ao-notes-indicator")).to_be_visible(timeout=5000)
    delta = [r for r in polls if "since=" in r.url and r.status == 200]
    assert delta and len(delta[-1].body()) < 5120, [len(r.body()) for r in delta]
