"""WordPress users and page steps the browser tests share (Playwright objects passed in)."""

from __future__ import annotations

import re

ADMIN = ("admin", "admin")
VIEWER = ("viewer", "viewer-pass-123")


def login(browser, base_url, user):
    """A browser context with a logged-in WordPress session.

    WordPress' own login form, posted through the context's request API (its cookie jar is
    the context's): two CI runs saw a login's redirect never reach Playwright although
    WordPress had answered it (302, then the profile page), once as a 60 s timeout and once
    as a hang; a plain POST has no navigation to wait for. A refusal fails at once with
    WordPress' message.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15000)
    login_url = f"{base_url}/wp-login.php"
    context.request.get(login_url, timeout=60000)  # WordPress' test cookie, as a browser gets it
    form = {
        "log": user[0],
        "pwd": user[1],
        "testcookie": "1",
        "redirect_to": f"{base_url}/wp-admin/profile.php",
        "wp-submit": "Log In",
    }
    answer = context.request.post(login_url, form=form, max_redirects=0, timeout=60000)
    logged_in = any(c["name"].startswith("wordpress_logged_in_") for c in context.cookies())
    if answer.status != 302 or not logged_in:
        refused = re.search(r'id="login_error"[^>]*>(.*?)</div>', answer.text(), re.S)
        said = re.sub(r"<[^>]+>", "", refused.group(1)).strip() if refused else answer.status
        context.close()
        raise AssertionError(f"WordPress refused {user[0]}: {said}")
    return context


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
