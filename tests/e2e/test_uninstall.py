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
    assert result == {"option": None, "role": [], "user": [], "files": True,
                      "reactivated": True}
