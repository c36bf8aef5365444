"""Small helpers shared by the browser tests.

Every browser test module imports this module as `ui` (`ui.card(page, id)`, `ui.expect` too),
so this module's importorskip is the one place that skips them, with the reason, where
playwright is missing.
"""

from __future__ import annotations

import uuid

import pytest

pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need playwright (pip); scripts/ci-bridge-deps.sh installs it",
)
from playwright.sync_api import expect  # noqa: E402


def unique(prefix: str = "e2e") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def seed(api, **fields) -> dict:
    """Create an opportunity straight in the service (the UI path is tested elsewhere)."""
    body = {"source_url": f"https://{unique('blog')}.example.org/post", **fields}
    response = api.post("/api/v1/opportunities", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def make_template(api, name: str, subject: str, body: str) -> dict:
    """A saved template, made straight in the service (the UI path is tested elsewhere)."""
    body = {"name": name, "subject": subject, "body": body}
    response = api.post("/api/v1/templates", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def card(page, opp_id):
    return page.locator(f'.ao-card[data-id="{opp_id}"]')


def menu(page, opp_id):
    """Open a card's action menu (its actions live there, not on the card) and return it."""
    card(page, opp_id).locator(".ao-card-menu-button").click()
    found = page.locator(f'.ao-menu[data-id="{opp_id}"]')
    expect(found).to_be_visible()
    return found


def card_action(page, opp_id, action):
    """Run one action of a card's menu, e.g. 'send', 'history', 'delete'."""
    menu(page, opp_id).locator(f".ao-action-{action}").click()


def card_dialog(page, opp_id, action, name=None):
    """Open a card's dialog from its menu and return it (named as the action unless said)."""
    card_action(page, opp_id, action)
    return modal(page, name or action)


def write_by_hand(dialog, subject: str, body: str) -> None:
    """In the Send dialog: no template, this subject and body."""
    field(dialog, "template_id").select_option(value="")
    field(dialog, "subject").fill(subject)
    field(dialog, "body").fill(body)


def clean_board(api):
    """Delete every card, so each test starts with a short board (lanes draw what is on screen)."""
    board = api.get("/api/v1/board").json()
    for cards in board["columns"].values():
        for each in cards:
            assert api.delete(f"/api/v1/opportunities/{each['id']}").status_code == 204


def column(page, status):
    return page.locator(f'.ao-column[data-status="{status}"]')


def modal(page, name):
    return page.locator(f'.ao-modal[data-modal="{name}"]')


def field(dialog, name):
    """The control of a named field inside a dialog."""
    return dialog.locator(f'[data-field="{name}"] :is(input, select, textarea)')


def expect_in_column(page, opp_id, status):
    expect(column(page, status).locator(f'.ao-card[data-id="{opp_id}"]')).to_be_visible()


def admin_page_status(context, stack, slug: str) -> int:
    """The HTTP status a user's context gets for one of the plugin's wp-admin pages."""
    page = context.new_page()
    try:
        return page.goto(f"{stack.wp_url}/wp-admin/admin.php?page={slug}").status
    finally:
        page.close()


def set_service_url(stack, url: str) -> None:
    """Point the bridge at another service URL (a dead port stands for an outage)."""
    stack.wp_eval(
        "$o = get_option('almaseo_outreach_connection');"
        f" $o['url'] = '{url}';"
        " update_option('almaseo_outreach_connection', $o);"
    )


DEAD_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there


def add_to_answer(page, pattern: str, add) -> None:
    """Let `add(body)` fill in, on the way to the page, fields that the service's answer to
    a bridge route does not carry yet (their names are the ones docs/api.md will give);
    an answer that carries them passes unchanged."""

    def handle(route):
        response = route.fetch()
        try:
            body = response.json()
        except ValueError:
            route.fulfill(response=response)
            return
        add(body)
        route.fulfill(response=response, json=body)

    page.route(pattern, handle)


def sent_message(fake, to):
    """The last message the fake SendGrid got for `to`."""
    found = [
        m for m in fake.messages if m["request"]["personalizations"][0]["to"][0]["email"] == to
    ]
    assert found, f"no message to {to} reached the fake SendGrid"
    return found[-1]


def reload(page):
    """Load the board again and wait until it is drawn."""
    page.reload()
    page.wait_for_selector("#ao-app.is-ready")


def open_send(page, api, tag: str):
    """A fresh card with a contact and its Send dialog open: (card, dialog)."""
    opp = seed(api, contact_email=f"{unique(tag)}@example.org")
    reload(page)
    return opp, card_dialog(page, opp["id"], "send")


def send_and_reply(api, fake, stack, opp, text: str, subject: str = "Hello") -> dict:
    """Send the card an email, then post `text` back as a reply the way Inbound Parse
    would; returns the sent message as the fake SendGrid saw it."""
    from tests.e2e.stack import INBOUND_TOKEN

    to = f"{unique('replier')}@example.org"
    sent = api.post(
        f"/api/v1/opportunities/{opp['id']}/emails",
        json={"to": to, "subject": subject, "body": "About {{url}}"},
    )
    assert sent.status_code == 201, sent.text
    message = sent_message(fake, to)
    form = fake.inbound_form(message["request"]["reply_to"]["email"], sender=to)
    form["text"] = text
    inbound = f"{stack.service_url}/sendgrid/inbound/{INBOUND_TOKEN}"
    assert fake.post_inbound(inbound, form).json()["matched"] is True
    return message
