"""Session fixtures for the browser tests: one real stack, one browser, logged-in contexts.

They run once per CI run (skipped on the PostgreSQL pass) and skip cleanly, naming what is
missing, on machines without PHP, MariaDB, WordPress or Chromium.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.e2e.stack import CHROMIUM, CHROMIUM_ARGS, Stack, missing_tools
from tests.support.browser import ADMIN, VIEWER, board_tab, login
from tests.support.dns_server import DnsServer
from tests.support.fake_sendgrid import FakeSendGrid
from tests.support.mail import FakeOAuth
from tests.support.signed import SignedHttpClient, SiteKey


def pytest_collection_modifyitems(items):
    """Every test in this folder is an e2e test."""
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def e2e_ready():
    """Skip the browser tests where they cannot or should not run."""
    if os.environ.get("OUTREACH_TEST_DB", "sqlite") == "postgres":
        pytest.skip("browser tests run once per CI run, on the SQLite pass")
    missing = missing_tools()
    if missing:
        pytest.skip(
            "browser tests need: "
            + ", ".join(missing)
            + " (scripts/ci-bridge-deps.sh installs them)"
        )


@pytest.fixture(scope="session")
def fake_sendgrid(e2e_ready):
    """A fake SendGrid of its own: the stack's scheduler lives all session and must not
    send into the fake that other suites count messages in."""
    fake = FakeSendGrid().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def dns_server(e2e_ready):
    """A DNS server on loopback the stack's service asks (sender-domain proofs)."""
    server = DnsServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oauth_provider(e2e_ready):
    """A fake Google the stack's service has a client id for (tests/e2e/test_mailboxes.py)."""
    fake = FakeOAuth().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(e2e_ready, fake_sendgrid, dns_server, oauth_provider, tmp_path_factory):
    """outreach serve (temp SQLite) + private MariaDB + WordPress with the plugin active."""
    started = time.monotonic()
    stack = Stack(
        tmp_path_factory.mktemp("e2e"),
        dns_resolver=dns_server.address,
        oauth_url=oauth_provider.url,
    )
    try:
        stack.start_service(fake_sendgrid)
        stack.start_wordpress()
        stack.wp_eval(
            f"$id = wp_create_user('{VIEWER[0]}', '{VIEWER[1]}', 'viewer@example.test');"
            "if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }"
            "(new WP_User($id))->set_role('subscriber');"
        )
        stack.startup_seconds = time.monotonic() - started
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def api(stack):
    """A signed client straight to the service (seeding and checking, not the UI path)."""
    key = SiteKey(stack.site["site_id"], stack.site["key_id"], stack.site["secret"])
    client = SignedHttpClient(stack.service_url, key)
    # Unpaced, as the other suites' sites: a sequence started seconds after another
    # test's send goes now instead of queueing for the spacing (its own tests set it).
    response = client.patch("/api/v1/site", json={"min_spacing_seconds": 0})
    assert response.status_code == 200, response.text
    return client


@pytest.fixture(scope="session")
def browser(stack):
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import expect, sync_playwright

    # Why: CI machines have 2 busy cores; 5 s (the default) is short for a wp-admin page.
    expect.set_options(timeout=15000)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def admin_context(browser, stack):
    context = login(browser, stack.wp_url, ADMIN)
    yield context
    context.close()


@pytest.fixture(scope="session")
def viewer_context(browser, stack):
    context = login(browser, stack.wp_url, VIEWER)
    yield context
    context.close()


@pytest.fixture(scope="session")
def sender(api):
    """A sender address and name for the site (the service sends from them)."""
    response = api.patch(
        "/api/v1/site", json={"from_email": "outreach@example.com", "from_name": "E2E Outreach"}
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def board(admin_context, stack, api, request):
    """A fresh admin tab on an empty board, ready; page errors fail the test."""
    from tests.e2e import helpers as ui

    ui.clean_board(api)
    yield from board_tab(admin_context, stack, request)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report so fixtures can screenshot failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
