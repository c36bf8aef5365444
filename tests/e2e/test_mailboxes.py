"""Outreach → Mailboxes end to end (docs/api.md §15): a mailbox added through the screen
on the tests' own SMTP (aiosmtpd) and IMAP (Dovecot) servers, its Test with the servers'
own words, the Sending settings' channel switch, an email sent from a card through the
mailbox, and the reply dropped into the Maildir showing on the card after the
scheduler's `mailbox-reads` job; "Connect with Google" through a fake provider."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest

from tests.e2e import helpers as ui
from tests.support.browser import screen_tab
from tests.support.mail import Dovecot, FakeSmtp, require_dovecot

ANNA = "anna@example.test"
SMTP_PASSWORD = "smtp-secret"
SCREEN = "/wp-admin/admin.php?page=almaseo-outreach-mailboxes"


@pytest.fixture(scope="module")
def smtp_server(stack, oauth_provider):
    server = FakeSmtp(stack.mail_certs, {ANNA: SMTP_PASSWORD}, oauth_provider).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def imap_server(stack, oauth_provider):
    require_dovecot()
    server = Dovecot(stack.mail_certs, oauth_provider.url).start()
    yield server
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def leave_the_site_as_found(api):
    """The session's other tests send through SendGrid: no mailbox, no channel left."""
    yield
    for box in api.get("/api/v1/mailboxes").json():
        assert api.delete(f"/api/v1/mailboxes/{box['id']}").status_code == 204
    assert api.patch("/api/v1/site", json={"sending_channel": None}).status_code == 200


@pytest.fixture
def screen(admin_context, stack, request):
    yield from screen_tab(
        admin_context, stack, request, lambda page: page.goto(stack.wp_url + SCREEN)
    )


def side(dialog, group, name):
    return dialog.locator(
        f'[data-group="{group}"] [data-field="{group}.{name}"] :is(input, select)'
    )


def add_mailbox(page, smtp_server, imap_server, password):
    """Fill the dialog as a person would: a preset first, then Custom on local servers."""
    page.locator(".ao-mailbox-add").click()
    dialog = ui.modal(page, "mailbox")
    ui.field(dialog, "preset").select_option("fastmail")
    ui.expect(side(dialog, "smtp", "host")).to_have_value("smtp.fastmail.com")
    ui.expect(side(dialog, "smtp", "port")).to_have_value("465")
    ui.expect(side(dialog, "imap", "host")).to_have_value("imap.fastmail.com")
    ui.field(dialog, "preset").select_option("custom")
    ui.field(dialog, "email").fill(ANNA)
    ui.expect(side(dialog, "smtp", "username")).to_have_value(ANNA)  # follows the address
    ui.field(dialog, "from_name").fill("Anna")
    ui.field(dialog, "password").fill(password)
    ui.field(dialog, "imap_password").fill(imap_server.password)
    ui.field(dialog, "track_opens").check()
    side(dialog, "smtp", "host").fill("localhost")
    side(dialog, "smtp", "port").fill(str(smtp_server.port("starttls")))
    side(dialog, "smtp", "security").select_option("starttls")
    side(dialog, "imap", "host").fill("localhost")
    side(dialog, "imap", "port").fill(str(imap_server.tls_port))
    side(dialog, "imap", "security").select_option("tls")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    row = page.locator(".ao-mailbox", has_text=ANNA)
    ui.expect(row).to_be_visible()
    return row


def test_a_mailbox_added_tested_sent_from_and_its_reply_on_the_card(
    screen, board, api, sender, stack, smtp_server, imap_server
):
    row = add_mailbox(screen, smtp_server, imap_server, "wrong-password")
    [made] = api.get("/api/v1/mailboxes").json()
    assert "password" not in made and "imap_password" not in made  # write-only
    assert made["track_opens"] is True and made["track_clicks"] is False
    ui.expect(row.locator(".ao-mailbox-today")).to_have_text("Today: 0 of 10 sent")
    ui.expect(row.locator(".ao-mailbox-ramp")).to_contain_text("10 on the first day, 2 more")
    row.locator(".ao-mailbox-test-button").click()
    smtp_line = row.locator(".ao-mailbox-test-smtp")
    ui.expect(smtp_line).to_contain_text("535")  # the server's own answer
    ui.expect(smtp_line).to_have_attribute("data-ok", "0")
    ui.expect(row).to_have_attribute("data-status", "error")
    ui.expect(row.locator(".ao-mailbox-error")).to_contain_text("535")

    row.locator(".ao-mailbox-edit").click()
    dialog = ui.modal(screen, "mailbox")
    ui.expect(ui.field(dialog, "password")).to_have_value("")  # never echoed back
    ui.expect(side(dialog, "smtp", "host")).to_have_value("localhost")
    ui.field(dialog, "password").fill(SMTP_PASSWORD)
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    row.locator(".ao-mailbox-test-button").click()
    ui.expect(row.locator(".ao-mailbox-test-smtp")).to_have_text("SMTP: login works")
    ui.expect(row.locator(".ao-mailbox-test-imap")).to_have_text("IMAP: login works")
    ui.expect(row).to_have_attribute("data-status", "active")

    # The Sending settings' channel switch.
    board.click(".ao-open-site")
    settings = ui.modal(board, "site")
    ui.expect(ui.field(settings, "daily_limit")).not_to_have_value("")  # the settings are in
    ui.expect(ui.field(settings, "sending_channel")).to_have_value("")  # null: automatic
    ui.field(settings, "sending_channel").select_option("mailboxes")
    settings.locator(".ao-save").click()
    ui.expect(settings).to_have_count(0)
    assert api.get("/api/v1/site").json()["sending_channel"] == "mailboxes"

    opp = ui.seed(api, contact_email="editor@prospect.example", contact_name="Eddie")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    send = ui.card_dialog(board, opp["id"], "send")
    ui.field(send, "to").fill("editor@prospect.example")
    ui.field(send, "subject").fill("A link for your guide")
    ui.field(send, "body").fill("Hello Eddie, would our page fit?")
    send.locator(".ao-send").click()
    [message] = smtp_server.wait_messages(1, timeout=20)
    assert message.mail_from == ANNA and message.rcpt_tos == ["editor@prospect.example"]
    [email] = api.get(f"/api/v1/opportunities/{opp['id']}/emails").json()
    assert email["mailbox_id"] == made["id"]

    imap_server.deliver(ANNA, reply_to(email, "Sure, link added.\n"))
    unread = ui.card(board, opp["id"]).locator(".ao-badge-unread")
    ui.expect(unread).to_have_text("1 unread reply", timeout=30000)  # read by the scheduler
    history = ui.card_dialog(board, opp["id"], "history")
    ui.expect(history.locator(".ao-card-mailbox")).to_have_text(f"Writes from the mailbox {ANNA}")
    history.locator(".ao-reply summary").click()
    ui.expect(history.locator(".ao-reply-text")).to_have_text("Sure, link added.")
    assert all("\\Seen" not in flags for flags in imap_server.flags(ANNA).values())  # unread

    screen.reload()
    today = screen.locator(".ao-mailbox", has_text=ANNA).locator(".ao-mailbox-today")
    ui.expect(today).to_have_text("Today: 1 of 10 sent")


def reply_to(email: dict, text: str) -> bytes:
    """The prospect's answer as the mailbox's provider files it: its Authentication-Results
    say the sender's domain passed (docs/api.md §15, replies over IMAP)."""
    msg = EmailMessage()
    msg["Authentication-Results"] = (
        "mx.example.test; spf=pass smtp.mailfrom=prospect.example; dkim=pass "
        "header.d=prospect.example"
    )
    msg["From"], msg["To"] = email["to"], ANNA
    msg["Subject"] = "Re: " + email["subject"]
    msg["Date"], msg["Message-ID"] = formatdate(), make_msgid(domain="prospect.example")
    msg["In-Reply-To"] = msg["References"] = email["message_id"]
    msg.set_content(text)
    return msg.as_bytes().replace(b"\n", b"\r\n")


def test_connect_with_google_comes_back_to_the_screen_with_the_mailbox(
    screen, api, stack, oauth_provider
):
    oauth_provider.default_email = account = f"{ui.unique('owner')}@example.test"
    connect = screen.locator(".ao-mailbox-connect-google")
    ui.expect(connect).to_be_visible()
    ui.expect(screen.locator(".ao-mailbox-connect-microsoft")).to_have_count(0)  # no client id
    ui.expect(screen.locator(".ao-mailbox-connect code")).to_have_text(
        f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-mailboxes"
    )
    connect.click()  # → the service's consent URL → the provider → back to this screen
    ui.expect(screen.locator("#almaseo-outreach-oauth-result")).to_have_text(
        f"Connected {account}."
    )
    made = next(b for b in api.get("/api/v1/mailboxes").json() if b["email"] == account)
    assert made["provider"] == "google" and made["smtp"]["host"] == "smtp.gmail.com"
    ui.expect(screen.locator(f'.ao-mailbox.is-new[data-id="{made["id"]}"]')).to_be_visible()

    # A return that this user did not start (or a reload of one) is refused, nothing made.
    screen.goto(stack.wp_url + SCREEN + "&state=made-up&code=code-x")
    ui.expect(screen.locator("#almaseo-outreach-oauth-result")).to_contain_text("not started here")
    assert [b["email"] for b in api.get("/api/v1/mailboxes").json()].count(account) == 1
    assert api.delete(f"/api/v1/mailboxes/{made['id']}").status_code == 204


def test_the_screen_and_its_connect_need_the_settings_capability(viewer_context, stack):
    page = viewer_context.new_page()
    try:
        answer = page.goto(stack.wp_url + SCREEN)
        assert answer.status == 403 or "not allowed" in page.content()
        answer = page.goto(
            stack.wp_url + "/wp-admin/admin-post.php?action=almaseo_outreach_mailbox_oauth"
            "&provider=google"
        )
        assert answer.status == 403
    finally:
        page.close()
