"""Sending settings in the browser: a sender domain added, proved by its TXT record (a
real DNS server on loopback) and then usable as the From email; time zones under their
current IANA names."""

from __future__ import annotations

from tests.e2e import helpers as ui


def open_settings(board):
    """The Sending settings dialog, once the site's values are in it."""
    board.click(".ao-open-site")
    dialog = ui.modal(board, "site")
    ui.expect(ui.field(dialog, "daily_limit")).not_to_have_value("")
    return dialog


def test_a_domain_proved_by_its_txt_record_becomes_a_sender(board, api, dns_server):
    domain = ui.unique("proof") + ".example.net"
    dialog = open_settings(board)
    dialog.locator(".ao-sender-domain-new").fill(domain.upper())
    dialog.locator(".ao-sender-domain-add").click()
    row = dialog.locator(".ao-sender-domain", has_text=domain)
    ui.expect(row).to_contain_text("waiting for its DNS record")
    name = row.locator(".ao-sender-domain-record code").nth(0).text_content()
    value = row.locator(".ao-sender-domain-record code").nth(1).text_content()
    assert name == f"_almaseo-outreach.{domain}" and value.startswith("almaseo-outreach-verify=")

    row.locator(".ao-sender-domain-verify").click()  # before the record exists: says so
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text(f"No TXT record {name}")
    dns_server.records[name] = [value]
    row.locator(".ao-sender-domain-verify").click()
    ui.expect(row).to_contain_text("verified")
    ui.expect(row.locator(".ao-sender-domain-record")).to_have_count(0)

    ui.field(dialog, "from_email").fill(f"anna@{domain}")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    try:
        assert api.get("/api/v1/site").json()["from_email"] == f"anna@{domain}"
    finally:
        api.patch("/api/v1/site", json={"from_email": "outreach@example.com"})


def test_a_sender_at_an_unproved_domain_is_refused_without_naming_a_setting(board):
    dialog = open_settings(board)
    ui.field(dialog, "from_email").fill(f"anna@{ui.unique('nope')}.example.net")
    dialog.locator(".ao-save").click()
    error = dialog.locator('[data-field="from_email"] .ao-field-error')
    ui.expect(error).to_contain_text("sender domain you have verified")
    ui.expect(dialog).not_to_contain_text("OUTREACH_")


def test_time_zones_use_current_iana_names(board):
    dialog = open_settings(board)
    options = ui.field(dialog, "timezone").locator("option")
    names = options.evaluate_all("nodes => nodes.map(n => n.value)")
    assert "Asia/Kolkata" in names and "Europe/Kyiv" in names
    assert "Asia/Calcutta" not in names and "Europe/Kiev" not in names
    assert names[0] == "UTC" and names[1:] == sorted(names[1:])
