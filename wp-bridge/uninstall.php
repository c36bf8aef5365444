<?php
/**
 * Uninstall: remove the plugin's options and capabilities, on every site of a network.
 *
 * @package AlmaSEO\Outreach
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/src/autoload.php';

\AlmaSEO\Outreach\Uninstall::run();
