"""Uninstalling removes the plugin's options and capabilities (then the test puts them back)."""

from __future__ import annotations

import json

UNINSTALL_AND_REPORT = """
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$p = 'almaseo-outreach/almaseo-outreach.php';
$saved = get_option('almaseo_outreach_connection');
deactivate_plugins($p);
uninstall_plugin($p);
wp_cache_flush();
$ours = fn($caps) => array_values(array_filter(array_keys($caps),
    fn($c) => str_starts_with($c, 'almaseo_outreach_')));
$viewer = new WP_User(get_user_by('login', 'viewer')->ID);
$r = ['option' => get_option('almaseo_outreach_connection', null),
      'role' => $ours(get_role('administrator')->capabilities),
      'user' => $ours($viewer->caps),
      'files' => file_exists(WP_PLUGIN_DIR . '/' . $p)];
activate_plugin($p);
update_option('almaseo_outreach_connection', $saved, false);
$r['reactivated'] = user_can(1, 'almaseo_outreach_settings');
echo json_encode($r);
"""


def test_uninstall_removes_options_and_capabilities(stack):
    stack.wp_eval("get_user_by('login', 'viewer')->add_cap('almaseo_outreach_view', true);")
    out = stack.wp_eval(UNINSTALL_AND_REPORT)
    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"option": None, "role": [], "user": [], "files": True, "reactivated": True}


NETWORK_UNINSTALL = """
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$p = 'almaseo-outreach/almaseo-outreach.php';
$editor = wp_create_user('site-editor', 'pw-site-editor', 'site-editor@example.test');
$sites = [get_main_site_id()];
foreach (['/second/', '/third/'] as $path) {
    $id = wp_insert_site(['domain' => DOMAIN_CURRENT_SITE, 'path' => $path, 'user_id' => 1]);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
    $sites[] = $id;
}
foreach ($sites as $id) {
    switch_to_blog($id);
    activate_plugin($p);
    update_option('almaseo_outreach_connection', ['url' => 'http://127.0.0.1:5000',
        'key_id' => "key_$id", 'secret' => 'secret'], false);
    add_user_to_blog($id, $editor, 'editor');
    (new WP_User($editor))->add_cap('almaseo_outreach_view', true);
    restore_current_blog();
}
// Per-user meta: the connection test's result, a Mailboxes OAuth flow and its outcome.
$metas = ['almaseo_outreach_connection_test', 'almaseo_outreach_oauth_flow',
    'almaseo_outreach_oauth_result'];
foreach ($metas as $key) {
    update_user_meta($editor, $key, ['ok' => true, 'message' => 'x']);
}
$ours = fn($caps) => array_values(array_filter(array_keys($caps),
    fn($c) => str_starts_with($c, 'almaseo_outreach_')));
$report = function () use ($sites, $ours, $editor, $metas) {
    $r = [];
    foreach ($sites as $id) {
        switch_to_blog($id);
        wp_cache_flush();
        $r[] = ['option' => get_option('almaseo_outreach_connection', null) !== null,
                'role' => count($ours(get_role('administrator')->capabilities)),
                'user' => count($ours((new WP_User($editor))->caps))];
        restore_current_blog();
    }
    $r[] = array_map(fn($key) => get_user_meta($editor, $key, true) !== '', $metas);
    return $r;
};
$before = $report();
uninstall_plugin($p);
echo json_encode(['before' => $before, 'after' => $report()]);
"""


def test_uninstall_cleans_every_site_of_a_network(stack):
    """A real subdirectory network of three sites, the plugin active on each."""
    network = stack.add_network("wordpress_network")
    out = stack.wp_eval(NETWORK_UNINSTALL, **network)
    result = json.loads(out.strip().splitlines()[-1])
    configured = {"option": True, "role": 7, "user": 1}
    assert result["before"] == [configured] * 3 + [[True] * 3]
    assert result["after"] == [{"option": False, "role": 0, "user": 0}] * 3 + [[False] * 3]
