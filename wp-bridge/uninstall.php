<?php
/**
 * Uninstall: remove the plugin's options and capabilities. Outreach data lives in the service.
 *
 * @package AlmaSEO\Outreach
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/src/autoload.php';

delete_option( \AlmaSEO\Outreach\Settings::OPTION );
delete_metadata( 'user', 0, \AlmaSEO\Outreach\SettingsScreen::RESULT_META, '', true );
\AlmaSEO\Outreach\Capabilities::remove_everywhere();
