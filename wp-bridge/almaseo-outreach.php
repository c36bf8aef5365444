<?php
/**
 * Plugin Name:       AlmaSEO Outreach
 * Description:       Backlink outreach kanban inside wp-admin: opportunities, templates, emails and drip sequences, served by the AlmaSEO Outreach service.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.1
 * Author:            AlmaSEO
 * License:           GPL-2.0-or-later
 * Text Domain:       almaseo-outreach
 * Domain Path:       /languages
 *
 * @package AlmaSEO\Outreach
 */

defined( 'ABSPATH' ) || exit;

define( 'ALMASEO_OUTREACH_VERSION', '0.1.0' );
define( 'ALMASEO_OUTREACH_FILE', __FILE__ );
define( 'ALMASEO_OUTREACH_DIR', __DIR__ );

require_once __DIR__ . '/src/autoload.php';

register_activation_hook( __FILE__, array( \AlmaSEO\Outreach\Capabilities::class, 'activate' ) );

add_action( 'plugins_loaded', array( \AlmaSEO\Outreach\Plugin::class, 'boot' ) );
