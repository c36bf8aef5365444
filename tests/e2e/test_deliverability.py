"""Deliverability in the browser: the do-not-contact list refuses a send, the public
unsubscribe page, the pause banner's Resume."""

from __future__ import annotations

from tests.e2e import helpers as ui


def test_a_domain_added_in_wordpress_refuses_a_send_with_the_reason(board, api, sender):
    domain = ui.unique("blocked") + ".example.org"
    board.click(".ao-open-suppressions")
    dialog = ui.modal(board, "suppressions")
    ui.field(dialog, "value").fill(domain)
    ui.field(dialog, "note").fill("The client asked")
    dialog.locator(".ao-dnc-add").click()
    entry = dialog.locator(".ao-dnc-entry", has_text=domain)
    ui.expect(entry).to_contain_text("Added by hand")
    ui.expect(entry).to_contain_text("The client asked")
    dialog.locator(".ao-cancel").click()

    opp = ui.seed(api)
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    send = ui.card_dialog(board, opp["id"], "send")
    ui.field(send, "template_id").select_option("")
    ui.field(send, "to").fill(f"editor@news.{domain}")
    ui.field(send, "subject").fill("Hello")
    ui.field(send, "body").fill("A note about {{url}}")
    send.locator(".ao-send").click()
    ui.expect(send.locator(".ao-modal-error")).to_contain_text(f"the domain {domain}")
    listed = api.get("/api/v1/suppressions", query={"q": domain}).json()["items"]
    assert [(e["value"], e["kind"], e["reason"]) for e in listed] == [(domain, "domain", "manual")]


def test_the_do_not_contact_screen_adds_lists_and_removes(board, api, stack, viewer_context):
    domain = ui.unique("screen") + ".example.org"
    board.locator("#adminmenu a[href$='page=almaseo-outreach-do-not-contact']").click()
    panel = board.locator('#ao-dnc-app [data-panel="suppressions"]')
    ui.field(panel, "value").fill(f"{domain}\nnot-an-address")
    panel.locator(".ao-dnc-add").click()
    entry = panel.locator(".ao-dnc-entry", has_text=domain)
    ui.expect(entry).to_contain_text("domain and its subdomains")
    ui.expect(panel.locator(".ao-modal-error")).to_be_visible()  # the refused line says why
    ui.expect(ui.field(panel, "value")).to_have_value("not-an-address")
    entry.locator(".ao-dnc-remove").click()
    ui.expect(entry).to_have_count(0)
    assert api.get("/api/v1/suppressions", query={"q": domain}).json()["items"] == []
    assert ui.admin_page_status(viewer_context, stack, "almaseo-outreach-do-not-contact") == 403


def test_the_unsubscribe_page_in_chromium(admin_context, api, sender, fake_sendgrid):
    to = f"{ui.unique('reader')}@example.org"
    opp = ui.seed(api)
    r = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"to": to, "subject": "Hi", "body": "Hello"},
    )
    assert r.status_code == 201, r.text
    [message] = [
        m
        for m in fake_sendgrid.messages
        if m["request"]["personalizations"][0]["to"][0]["email"] == to
    ]
    link = message["request"]["headers"]["List-Unsubscribe"].strip("<>")
    page = admin_context.new_page()
    try:
        page.goto(link)
        ui.expect(page.locator("button[type=submit]")).to_be_visible()
        ui.expect(page.locator("main")).to_contain_text("E2E Outreach")
        ui.expect(page.locator("main")).not_to_contain_text(to)
        page.locator("button[type=submit]").click()
        ui.expect(page.locator("main")).to_contain_text("will not email this address again")
    finally:
        page.close()
    again = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"to": to, "subject": "Hi", "body": "Hello"},
    )
    assert again.status_code == 422 and "unsubscribed" in again.json()["message"]


def test_bounces_pause_sending_and_the_banner_resumes_it(board, api, sender, stack, fake_sendgrid):
    ids = []
    for i in range(20):  # one card each: the per-prospect cooldown holds a card for a day
        r = api.post(
            f"/api/v1/opportunities/{ui.seed(api)['id']}/emails",
            json={
                "to": f"{ui.unique('b')}@bounce{i}.example.org",
                "subject": "Hi",
                "body": "Hello",
            },
        )
        assert r.status_code == 201, r.text
        ids.append(str(r.json()["id"]))
    opp = ui.seed(api)
    sent = {
        m["request"]["personalizations"][0]["custom_args"]["outreach_email_id"]: m
        for m in fake_sendgrid.messages
    }
    bounces = [fake_sendgrid.event(sent[i], "bounce") for i in ids[:3]]
    assert fake_sendgrid.post_events(stack.service_url + "/sendgrid/webhook", bounces).ok
    assert api.get("/api/v1/site").json()["paused"] is True
    refused = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"to": "late@bounce.example.org", "subject": "Hi", "body": "Hello"},
    )
    assert refused.status_code == 429 and refused.json()["limit"] == "paused"
    board.reload()
    banner = board.locator(".ao-pause-banner")
    ui.expect(banner).to_contain_text("Sending is paused since")
    ui.expect(banner).to_contain_text("emails bounced")
    banner.locator(".ao-resume").click()
    ui.expect(banner).to_be_hidden()
    assert api.get("/api/v1/site").json()["paused"] is False


def test_sending_settings_show_state_and_refuse_a_bad_window(board, api):
    board.click(".ao-open-site")
    dialog = ui.modal(board, "site")
    ui.expect(dialog.locator(".ao-sending-state")).to_contain_text("Sent in the last 24 hours")
    ui.expect(ui.field(dialog, "bounce_brake_percent")).to_have_value("5")
    ui.field(dialog, "send_window").check()
    for box in dialog.locator(".ao-day").all():
        box.uncheck()
    dialog.locator(".ao-save").click()
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("pick at least one day")
    ui.expect(dialog.locator('[data-field="send_window.days"] .ao-field-error')).to_be_visible()
    dialog.locator(".ao-day").first.check()
    ui.field(dialog, "domain_daily_limit").fill("7")
    ui.expect(ui.field(dialog, "reply_forward_hourly_limit")).to_have_value("20")
    ui.field(dialog, "reply_forward_hourly_limit").fill("3")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    site = api.get("/api/v1/site").json()
    try:
        assert site["domain_daily_limit"] == 7
        assert site["reply_forward_hourly_limit"] == 3
        assert site["send_window"]["enabled"] is True and site["send_window"]["days"] == [1]
    finally:
        restore = {
            "domain_daily_limit": 0,
            "reply_forward_hourly_limit": 20,
            "send_window": {"enabled": False, "days": [1, 2, 3, 4, 5]},
        }
        assert api.patch("/api/v1/site", json=restore).status_code == 200
