"""The settings form: only plain http(s) service URLs, and an option that is never autoloaded."""

from __future__ import annotations

import html
import json

import pytest

from tests.e2e import helpers as ui

OPTION = "almaseo_outreach_connection"
SETTINGS = "/wp-admin/admin.php?page=almaseo-outreach-settings"
STORED = f"echo json_encode(get_option('{OPTION}'));"
AUTOLOAD = (
    "global $wpdb; echo json_encode($wpdb->get_var($wpdb->prepare("
    '"SELECT autoload FROM $wpdb->options WHERE option_name = %s", \'' + OPTION + "')));"
)
BAD_URLS = (
    "http://10.0.0.5:9200/_cluster/health#",
    "http://10.0.0.5:9200/x?y#",
    "http://10.0.0.5:9200/?",
    "ftp://10.0.0.5/outreach",
    "javascript:alert(1)//x",
)


def php_json(stack, code: str):
    """Run PHP in WordPress and decode the JSON it echoes last."""
    return json.loads(stack.wp_eval(code).strip().splitlines()[-1])


@pytest.fixture
def settings_page(admin_context, stack):
    """The settings screen; the stored connection is put back afterwards, autoload off."""
    saved = php_json(stack, STORED)
    page = admin_context.new_page()
    page.goto(stack.wp_url + SETTINGS)
    yield page
    page.close()
    stack.wp_eval(
        f"delete_option('{OPTION}'); add_option('{OPTION}', json_decode('"
        + json.dumps(saved)
        + "', true), '', 'no');"
    )


@pytest.mark.parametrize("bad_url", BAD_URLS)
def test_a_bad_service_url_is_refused_and_nothing_changes(settings_page, stack, bad_url):
    before = php_json(stack, STORED)
    settings_page.fill("#almaseo-outreach-url", bad_url)
    settings_page.fill("#almaseo-outreach-key_id", "key_changed_with_a_bad_url")
    settings_page.click("#submit")
    error = settings_page.locator("#setting-error-almaseo_outreach_invalid_url")
    ui.expect(error).to_contain_text("The service URL was not saved")
    ui.expect(error).to_contain_text(bad_url)
    ui.expect(settings_page.locator("#setting-error-settings_updated")).to_have_count(0)
    ui.expect(settings_page.locator("#almaseo-outreach-url")).to_have_value(stack.service_url)
    assert php_json(stack, STORED) == before


def test_the_sanitizer_accepts_plain_http_urls_only(stack):
    """Many cases straight through the sanitize callback: URL kept, error code, escaped message."""
    cases = {
        "https://Outreach.example.org:8443/svc/": "https://Outreach.example.org:8443/svc",
        "  http://127.0.0.1:5000  ": "http://127.0.0.1:5000",
        "": "",
        "http://a.example/x?": None,
        "http://a.example/#top": None,
        "https://a.example/?q=1": None,
        "file:///etc/passwd": None,
        "data:text/html,hi": None,
        "http:///nohost": None,
        "//a.example/x": None,
        "http://a.example/x y": None,
        "mailto:a@b.example": None,
        "http://a.example/<b>x</b>?": None,
    }
    out = php_json(
        stack,
        "require_once ABSPATH . 'wp-admin/includes/template.php'; $r = [];"
        " foreach (json_decode('" + json.dumps(list(cases)) + "') as $u) {"
        " global $wp_settings_errors; $wp_settings_errors = [];"
        " $v = \\AlmaSEO\\Outreach\\Settings::sanitize(['url' => $u]);"
        " $e = get_settings_errors();"
        " $r[] = [$v['url'], wp_list_pluck($e, 'code'), wp_list_pluck($e, 'message')]; }"
        " echo json_encode($r);",
    )
    stored_url = php_json(stack, STORED)["url"]
    for (url, expected), (kept, codes, messages) in zip(cases.items(), out, strict=True):
        if expected is None:
            assert (kept, codes) == (stored_url, ["almaseo_outreach_invalid_url"]), url
            # settings_errors() prints messages as they are: the typed URL arrives escaped.
            assert "<" not in messages[0] and html.unescape(messages[0]).count(url) == 1, url
        else:
            assert (kept, codes) == (expected, []), url


def test_the_option_is_never_autoloaded(settings_page, stack):
    """A first save through options.php, a later update and a legacy autoloaded row."""
    saved = php_json(stack, STORED)
    stack.wp_eval(f"delete_option('{OPTION}');")
    settings_page.goto(stack.wp_url + SETTINGS)
    settings_page.fill("#almaseo-outreach-url", saved["url"])
    settings_page.fill("#almaseo-outreach-key_id", saved["key_id"])
    settings_page.fill("#almaseo-outreach-secret", saved["secret"])
    settings_page.click("#submit")
    ui.expect(settings_page.locator("#setting-error-settings_updated")).to_be_visible()
    assert php_json(stack, STORED) == saved
    assert php_json(stack, AUTOLOAD) == "no"

    settings_page.fill("#almaseo-outreach-key_id", "key_updated")
    settings_page.click("#submit")
    ui.expect(settings_page.locator("#setting-error-settings_updated")).to_be_visible()
    assert php_json(stack, STORED)["key_id"] == "key_updated"
    assert php_json(stack, AUTOLOAD) == "no"

    # Earlier versions let options.php store it autoloaded: the next admin screen turns it off.
    stack.wp_eval(
        f"global $wpdb; $wpdb->update($wpdb->options, ['autoload' => 'yes'],"
        f" ['option_name' => '{OPTION}']);"
    )
    assert php_json(stack, AUTOLOAD) == "yes"
    settings_page.goto(stack.wp_url + SETTINGS)
    ui.expect(settings_page.locator("#almaseo-outreach-key_id")).to_have_value("key_updated")
    assert php_json(stack, AUTOLOAD) == "no"
    assert php_json(stack, STORED)["key_id"] == "key_updated"
