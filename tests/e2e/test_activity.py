"""The Activity screen reads as sentences (issue 22 item 10, docs/api.md §21): a person's
move names the card's domain and the person, a bulk move is one entry with its count, a
reply shows, and the list filters by person, kind and card."""

from __future__ import annotations

import pytest

from tests.e2e import helpers as ui
from tests.support.signed import SignedHttpClient, SiteKey


@pytest.fixture(scope="module")
def anna(stack):
    """A second WordPress user, Anna, and a service client signed as her."""
    user_id = stack.wp_eval(
        "$id = wp_insert_user(array('user_login' => 'anna', 'user_pass' => 'anna-pass-1',"
        " 'user_email' => 'anna@example.test', 'display_name' => 'Anna', 'role' => 'editor'));"
        "if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }"
        "echo $id;"
    ).strip()
    key = SiteKey(stack.site["site_id"], stack.site["key_id"], stack.site["secret"])
    return int(user_id), SignedHttpClient(stack.service_url, key, user=int(user_id))


def domain_of(api, opp) -> str:
    return api.get(f"/api/v1/opportunities/{opp['id']}").json()["domain"]


def test_activity_reads_as_sentences_and_filters(board, api, stack, anna, sender, fake_sendgrid):
    anna_id, as_anna = anna
    moved = ui.seed(api)
    r = as_anna.post(f"/api/v1/opportunities/{moved['id']}/move", json={"status": "won"})
    assert r.status_code == 200, r.text
    ids = [ui.seed(api)["id"] for _ in range(3)]
    r = api.post(
        "/api/v1/opportunities/bulk", json={"ids": ids, "action": "move", "status": "queued"}
    )
    assert r.status_code == 200, r.text
    replied = ui.seed(api)
    ui.send_and_reply(api, fake_sendgrid, stack, replied, "Happy to add the link.")

    board.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-activity")
    app = board.locator("#ao-activity-app")
    entries = app.locator(".ao-activity-entry")
    ui.expect(entries.first).to_be_visible()
    moved_domain, replied_domain = domain_of(api, moved), domain_of(api, replied)
    ui.expect(entries.filter(has_text=f"Anna moved {moved_domain} to Won")).to_have_count(1)
    bulk = entries.filter(has_text="admin moved 3 cards to Queued")
    ui.expect(bulk).to_have_count(1)
    ui.expect(bulk).to_have_attribute("data-count", "3")
    ui.expect(entries.filter(has_text=f"{replied_domain} replied")).to_have_count(1)

    app.locator(".ao-activity-person").select_option(str(anna_id))
    ui.expect(entries).to_have_count(1)
    ui.expect(entries.first).to_contain_text(f"Anna moved {moved_domain} to Won")
    app.locator(".ao-activity-person").select_option("")
    app.locator(".ao-activity-kind").select_option("reply")
    ui.expect(entries.first).to_contain_text(f"{replied_domain} replied")
    ui.expect(entries.filter(has_text="moved")).to_have_count(0)
    app.locator(".ao-activity-kind").select_option("")

    entries.filter(has_text=f"Anna moved {moved_domain}").locator(".ao-activity-card").click()
    ui.expect(app.locator(".ao-activity-card-filter")).to_contain_text(moved_domain)
    ui.expect(entries).to_have_count(2)  # added by admin, moved by Anna
    ui.expect(entries.nth(1)).to_contain_text(f"admin added {moved_domain}")
    app.locator(".ao-activity-all-cards").click()
    ui.expect(entries.filter(has_text="admin moved 3 cards to Queued")).to_have_count(1)
