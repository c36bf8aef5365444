"""Per-user permissions, the settings screen, the allow-listed proxy and a service that is down."""

from __future__ import annotations

import json

import pytest

from tests.e2e import helpers as ui
from tests.support.browser import VIEWER, login, open_board

ACTION_SELECTORS = (
    ".ao-action-send",
    ".ao-action-start-sequence",
    ".ao-action-move",
    ".ao-action-delete",
    ".ao-open-add",
    ".ao-open-site",
    ".ao-open-backlinks",
)


def user_can(stack, login_name, cap):
    out = stack.wp_eval(
        f"echo json_encode(user_can(get_user_by('login', '{login_name}'), '{cap}'));"
    )
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def viewer_with_view(admin_context, stack):
    """Grant the viewer 'View board' through the Permissions screen, as an admin would."""
    page = admin_context.new_page()
    page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-permissions")
    row = page.locator(f'tr[data-user="{VIEWER[0]}"]')
    row.locator('input[value="view"]').check()
    page.click("#submit")
    ui.expect(page.locator(".notice-success")).to_contain_text("Permissions saved")
    page.close()
    assert user_can(stack, VIEWER[0], "almaseo_outreach_view")
    assert not user_can(stack, VIEWER[0], "almaseo_outreach_edit")
    signed = stack.wp_eval(
        "echo json_encode(\\AlmaSEO\\Outreach\\Capabilities::service_caps("
        f"get_user_by('login', '{VIEWER[0]}')->ID));"
    )
    assert json.loads(signed.strip().splitlines()[-1]) == ["outreach.view"]  # X-Outreach-Caps


@pytest.fixture
def viewer_board(viewer_with_view, viewer_context, stack, api):
    ui.clean_board(api)
    page = viewer_context.new_page()
    open_board(page, stack)
    yield page
    page.close()


def test_view_only_user_sees_cards_but_no_action_buttons(viewer_board, api):
    opp = ui.seed(api, anchor_text="read only", notes="visible notes")
    node = ui.card(viewer_board, opp["id"])
    ui.expect(node).to_be_visible(timeout=10000)
    actions = ui.menu(viewer_board, opp["id"])  # with the card's menu open
    for selector in ACTION_SELECTORS:
        ui.expect(viewer_board.locator(selector)).to_have_count(0)
    ui.expect(node.locator(".ao-card-select")).to_have_count(0)
    ui.expect(viewer_board.locator(".ao-select-column")).to_have_count(0)
    assert node.get_attribute("draggable") is None
    ui.expect(actions.locator(".ao-action-history")).to_be_visible()
    actions.locator(".ao-action-notes").click()
    notes = ui.modal(viewer_board, "notes")
    ui.expect(ui.field(notes, "notes")).to_have_value("visible notes")
    ui.expect(ui.field(notes, "notes")).not_to_be_editable()
    ui.expect(notes.locator(".ao-save")).to_have_count(0)


def test_view_only_user_gets_403_from_the_rest_route(viewer_board, api):
    opp = ui.seed(api)
    status = viewer_board.evaluate(
        "async () => (await import(document.querySelector('script[src*=\"assets/js/board.js\"]')"
        ".src.replace('board.js', 'common/api.js'))).post('/opportunities',"
        " {source_url: 'https://x.example/a'}).then(() => 201, (e) => e.status)"
    )
    assert status == 403
    raw = viewer_board.evaluate(
        """async (id) => {
            const nonce = wp.apiFetch.nonceMiddleware.nonce;
            const call = (method, path, headers) => fetch('/wp-json/almaseo-outreach/v1' + path,
                {method, headers: Object.assign({'Content-Type': 'application/json'}, headers),
                 body: method === 'GET' || method === 'DELETE' ? undefined : '{"status":"won"}'});
            const auth = {'X-WP-Nonce': nonce};
            return [
                (await call('DELETE', '/opportunities/' + id, auth)).status,
                (await call('POST', '/opportunities/' + id + '/move', auth)).status,
                (await call('GET', '/board', auth)).status,
                (await call('GET', '/board', {})).status,
            ];
        }""",
        opp["id"],
    )
    assert raw == [403, 403, 200, 401]
    assert api.get(f"/api/v1/opportunities/{opp['id']}").json()["status"] == "new"


def test_user_without_view_has_no_menu_and_no_board(browser, stack, admin_context):
    name = ui.unique("nobody")
    stack.wp_eval(f"wp_create_user('{name}', 'pass-{name}', '{name}@example.test');")
    context = login(browser, stack.wp_url, (name, f"pass-{name}"))
    page = context.new_page()
    page.goto(f"{stack.wp_url}/wp-admin/profile.php")
    ui.expect(page.locator("#adminmenu")).to_be_visible()
    ui.expect(page.locator("#adminmenu a[href*='almaseo-outreach']")).to_have_count(0)
    response = page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
    assert response.status == 403
    status = page.evaluate("async () => (await fetch('/wp-json/almaseo-outreach/v1/board')).status")
    assert status == 401
    context.close()


def test_removing_a_role_granted_cap_from_an_administrator(admin_context, stack):
    stack.wp_eval(
        "$id = wp_create_user('admin2', 'admin2-pass', 'a2@example.test');"
        "(new WP_User($id))->set_role('administrator');"
    )
    assert user_can(stack, "admin2", "almaseo_outreach_delete")
    page = admin_context.new_page()
    page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-permissions")
    page.locator('tr[data-user="admin2"] input[value="delete"]').uncheck()
    page.click("#submit")
    ui.expect(page.locator('tr[data-user="admin2"] input[value="delete"]')).not_to_be_checked()
    page.close()
    assert not user_can(stack, "admin2", "almaseo_outreach_delete")
    assert user_can(stack, "admin2", "almaseo_outreach_view")


def test_settings_screen_hides_the_secret_and_tests_the_connection(admin_context, stack):
    page = admin_context.new_page()
    page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-settings")
    ui.expect(page.locator("#almaseo-outreach-url")).to_have_value(stack.service_url)
    ui.expect(page.locator("#almaseo-outreach-secret")).to_have_value("")
    assert stack.site["secret"] not in page.content()
    page.click("#almaseo-outreach-test")
    ui.expect(page.locator("#almaseo-outreach-test-result")).to_contain_text("Connected")
    # Saving the form with an empty secret keeps the stored one.
    page.click("#submit")
    ui.expect(page.locator("#setting-error-settings_updated")).to_be_visible()
    page.click("#almaseo-outreach-test")
    ui.expect(page.locator("#almaseo-outreach-test-result")).to_contain_text("Connected")
    board = admin_context.new_page()
    open_board(board, stack)
    assert stack.site["secret"] not in board.content()
    board.close()
    page.close()


def test_service_down_is_said_clearly_and_input_is_kept(admin_context, stack):
    set_url = (
        "$o = get_option('almaseo_outreach_connection'); $o['url'] = '{url}';"
        "update_option('almaseo_outreach_connection', $o);"
    )
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    stack.wp_eval(set_url.format(url=dead))
    page = admin_context.new_page()
    try:
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
        ui.expect(page.locator("#ao-board-error")).to_contain_text("not reachable")
        page.click(".ao-open-add")
        dialog = ui.modal(page, "add")
        ui.field(dialog, "source_url").fill("https://kept.example.com/x")
        dialog.locator(".ao-save").click()
        ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("not reachable")
        ui.expect(ui.field(dialog, "source_url")).to_have_value("https://kept.example.com/x")
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-settings")
        page.click("#almaseo-outreach-test")
        ui.expect(page.locator("#almaseo-outreach-test-result")).to_contain_text("Cannot reach")
    finally:
        stack.wp_eval(set_url.format(url=stack.service_url))
        page.close()


def test_proxy_is_an_explicit_allow_list(admin_context, stack):
    page = admin_context.new_page()
    open_board(page, stack)
    result = page.evaluate(
        """async () => {
            const nonce = wp.apiFetch.nonceMiddleware.nonce;
            const get = async (p) => (await fetch('/wp-json/almaseo-outreach/v1' + p,
                {headers: {'X-WP-Nonce': nonce}})).status;
            const index = await (await fetch('/wp-json/almaseo-outreach/v1',
                {headers: {'X-WP-Nonce': nonce}})).json();
            return {routes: Object.keys(index.routes),
                    unknown: [await get('/site/keys'), await get('/api/v1/board'),
                              await get('/opportunities/abc'), await get('/board/../site')]};
        }"""
    )
    assert all(code == 404 for code in result["unknown"][:3]), result
    routes = result["routes"]
    assert "/almaseo-outreach/v1/board" in routes
    assert "/almaseo-outreach/v1/sequences/(?P<id>\\d+)" in routes
    assert not any("(?P<path>" in r or ".*" in r for r in routes), routes
    page.close()


def set_stored_secret(stack, secret: str) -> None:
    """Overwrite the secret the bridge stored in its settings."""
    stack.wp_eval(
        "$o = get_option('almaseo_outreach_connection');"
        f" $o['secret'] = '{secret}';"
        " update_option('almaseo_outreach_connection', $o);"
    )


def test_wrong_key_is_reported_as_a_configuration_problem(admin_context, stack):
    set_stored_secret(stack, "not-the-secret")
    page = admin_context.new_page()
    try:
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach")
        ui.expect(page.locator("#ao-board-error")).to_contain_text("refused this site's key")
        status = page.evaluate(
            "async () => (await import(document.querySelector("
            "'script[src*=\"assets/js/board.js\"]').src.replace('board.js', 'common/api.js')))"
            ".get('/board').then(() => 200, (e) => e.status)"
        )
        assert status == 502
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-settings")
        page.click("#almaseo-outreach-test")
        ui.expect(page.locator("#almaseo-outreach-test-result")).to_contain_text(
            "refused the signed request"
        )
    finally:
        set_stored_secret(stack, stack.site["secret"])
        page.close()


def test_wp_config_constants_win_and_lock_the_fields(admin_context, stack):
    mu = stack.workdir / "wp-stack" / "wp" / "wp-content" / "mu-plugins"
    mu.mkdir(exist_ok=True)
    plugin = mu / "ao-e2e-constants.php"
    plugin.write_text(
        "<?php\n"
        f"define('ALMASEO_OUTREACH_URL', '{stack.service_url}');\n"
        f"define('ALMASEO_OUTREACH_KEY_ID', '{stack.site['key_id']}');\n"
        f"define('ALMASEO_OUTREACH_SECRET', '{stack.site['secret']}');\n"
    )
    set_stored_secret(stack, "a-wrong-stored-secret")
    page = admin_context.new_page()
    try:
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-settings")
        for name in ("url", "key_id", "secret"):
            ui.expect(page.locator(f"#almaseo-outreach-{name}")).to_be_disabled()
        ui.expect(page.locator(".form-table")).to_contain_text(
            "Set by ALMASEO_OUTREACH_SECRET in wp-config.php"
        )
        assert stack.site["secret"] not in page.content()
        page.click("#almaseo-outreach-test")
        ui.expect(page.locator("#almaseo-outreach-test-result")).to_contain_text("Connected")
        open_board(page, stack)
        ui.expect(page.locator("#ao-board-error")).to_be_hidden()
    finally:
        plugin.unlink()
        set_stored_secret(stack, stack.site["secret"])
        page.close()


def test_sending_limits_dialog_names_the_bad_field_then_saves(board, api):
    board.click(".ao-open-site")
    dialog = ui.modal(board, "site")
    ui.expect(ui.field(dialog, "daily_limit")).not_to_have_value("")
    ui.field(dialog, "cooldown_hours").fill("-2")
    dialog.locator(".ao-save").click()
    ui.expect(dialog.locator('[data-field="cooldown_hours"] .ao-field-error')).to_be_visible()
    ui.expect(dialog.locator(".ao-modal-error")).to_contain_text("Cooldown per recipient (hours)")
    ui.expect(dialog.locator('[data-field="cooldown_hours"] .ao-field-error')).to_contain_text(
        "greater than or equal to 0"
    )
    ui.field(dialog, "cooldown_hours").fill("12.5")
    dialog.locator(".ao-save").click()
    ui.expect(dialog).to_have_count(0)
    try:
        assert api.get("/api/v1/site").json()["cooldown_hours"] == 12.5
    finally:
        api.patch("/api/v1/site", json={"cooldown_hours": 24})


def test_settings_cap_alone_is_enough_to_save_settings(browser, stack):
    name = ui.unique("settings")
    stack.wp_eval(
        f"$u = new WP_User(wp_create_user('{name}', 'pw-{name}', '{name}@x.test'));"
        "$u->set_role('subscriber'); $u->add_cap('almaseo_outreach_view');"
        "$u->add_cap('almaseo_outreach_settings');"
    )
    context = login(browser, stack.wp_url, (name, f"pw-{name}"))
    page = context.new_page()
    try:
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-settings")
        ui.expect(page.locator("#almaseo-outreach-secret")).to_have_value("")
        page.click("#submit")
        ui.expect(page.locator("#setting-error-settings_updated")).to_be_visible()
        page.click("#almaseo-outreach-test")
        ui.expect(page.locator("#almaseo-outreach-test-result")).to_contain_text("Connected")
        open_board(page, stack)
        ui.expect(page.locator(".ao-open-site")).to_be_visible()
        ui.expect(page.locator(".ao-open-add")).to_have_count(0)
    finally:
        context.close()


def test_test_connection_tries_the_values_typed_without_saving(admin_context, stack):
    page = admin_context.new_page()
    result = page.locator("#almaseo-outreach-test-result")
    stored = (
        "echo json_encode(get_option('almaseo_outreach_connection')['url']"
        " . '|' . get_option('almaseo_outreach_connection')['key_id']);"
    )
    before = stack.wp_eval(stored).strip().splitlines()[-1]
    try:
        page.goto(f"{stack.wp_url}/wp-admin/admin.php?page=almaseo-outreach-settings")
        page.fill("#almaseo-outreach-url", "http://127.0.0.1:9")
        page.click("#almaseo-outreach-test")
        ui.expect(result).to_contain_text("Cannot reach the service at http://127.0.0.1:9")
        ui.expect(page.locator("#almaseo-outreach-url")).to_have_value(stack.service_url)
        page.fill("#almaseo-outreach-key_id", "ok_not_a_key")
        page.click("#almaseo-outreach-test")
        ui.expect(result).to_contain_text("refused the signed request")
        page.click("#almaseo-outreach-test")  # the form shows the saved values again
        ui.expect(result).to_contain_text("Connected")
        assert stack.wp_eval(stored).strip().splitlines()[-1] == before  # nothing was saved
    finally:
        page.close()


def export_url(page) -> str:
    """The Export button's download URL (nonce included) from the page's configuration."""
    return page.evaluate(
        "() => JSON.parse(document.getElementById('almaseo-outreach-config').textContent).exportUrl"
    )


def test_export_download_needs_its_nonce_view_and_a_working_key(browser, admin_context, stack):
    page = admin_context.new_page()
    open_board(page, stack)
    url = export_url(page)
    ok = page.request.get(url + "&q=nothing-matches-this")
    assert ok.status == 200 and ok.headers["content-type"].startswith("text/csv")
    assert 'filename="opportunities.csv"' in ok.headers["content-disposition"]
    assert ok.text().startswith("source_url,") and ok.text().count("\r\n") == 1
    assert page.request.get(url.split("&_wpnonce=")[0]).status == 403
    name = ui.unique("noview")
    stack.wp_eval(f"wp_create_user('{name}', 'pass-{name}', '{name}@example.test');")
    other = login(browser, stack.wp_url, (name, f"pass-{name}"))
    refused = other.request.get(url)
    assert refused.status == 403 and "not allowed to view" in refused.text()
    other.close()
    set_stored_secret(stack, "not-the-secret")
    try:
        failed = page.request.get(url)
        assert failed.status == 502 and "refused this site&#039;s key" in failed.text()
        assert "not-the-secret" not in failed.text()
    finally:
        set_stored_secret(stack, stack.site["secret"])
        page.close()
