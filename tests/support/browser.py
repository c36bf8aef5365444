"""WordPress users and page steps the browser tests share (Playwright objects passed in)."""

from __future__ import annotations

import re
from urllib.parse import quote

ADMIN = ("admin", "admin")
VIEWER = ("viewer", "viewer-pass-123")


def login(browser, base_url, user):
    """A browser context with a logged-in WordPress session.

    One retry on a fresh tab: a CI run once saw a login's redirect never come within 60 s
    while every other login of the run took well under a second; a wrong password or
    blocked cookies fail at once with WordPress' own message, not a timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only where it is installed

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15000)
    for attempt in (1, 2):
        page = context.new_page()
        try:
            _submit_login(page, base_url, user)
            return context
        except PlaywrightTimeout:
            if attempt == 2:
                raise
        finally:
            page.close()
    raise AssertionError("unreachable")


def _submit_login(page, base_url, user):
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # Land on the profile page, not the dashboard: the dashboard's update checks and news
    # widgets call wordpress.org, which is unreachable here and once held a login past 15 s.
    # Only the redirect is awaited (commit), not the page's load.
    page.goto(f"{base_url}/wp-login.php?redirect_to={quote(base_url + '/wp-admin/profile.php')}")
    page.fill("#user_login", user[0])
    page.fill("#user_pass", user[1])
    page.click("#wp-submit")
    admin = re.compile(r".*/wp-admin/.*")
    for _ in range(60):
        try:
            page.wait_for_url(admin, wait_until="commit", timeout=1000)
            return
        except PlaywrightTimeout:
            try:
                refused = page.locator("#login_error")
                message = refused.inner_text(timeout=1000) if refused.count() else None
            except PlaywrightError:  # the page navigated while we looked: look again
                continue
            if message:
                raise AssertionError(f"WordPress refused {user[0]}: {message}") from None
    raise PlaywrightTimeout(f"no redirect to wp-admin within 60 s after logging in as {user[0]}")


def open_board(page, stack):
    """Load the board page and wait until the first board load is drawn."""
    page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
    page.wait_for_selector("#ao-app.is-ready")


def board_tab(context, stack, request, viewport=None):
    """Yield a tab on the board; screenshot it if the test failed; fail on page errors."""
    yield from screen_tab(context, stack, request, lambda page: open_board(page, stack), viewport)


def screen_tab(context, stack, request, open_page, viewport=None):
    """Yield a tab that `open_page(page)` loads (an admin screen); screenshot it if the test
    failed; fail on page errors."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if viewport:
        page.set_viewport_size(viewport)
    open_page(page)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(stack.workdir / f"fail-{request.node.name}.png"))
    page.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
