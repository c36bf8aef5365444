"""Small helpers shared by the browser tests."""

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
