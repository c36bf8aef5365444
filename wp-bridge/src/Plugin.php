<?php
/**
 * Wiring: hooks every part of the plugin into WordPress. Holds no logic of its own.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Plugin bootstrap.
 */
final class Plugin {

	const SLUG = 'almaseo-outreach';

	/**
	 * Hook everything (plugins_loaded).
	 */
	public static function boot() {
		load_plugin_textdomain( 'almaseo-outreach', false, dirname( plugin_basename( ALMASEO_OUTREACH_FILE ) ) . '/languages' );
		add_action( 'rest_api_init', array( RestController::class, 'register_routes' ) );
		add_action( 'admin_init', array( Settings::class, 'register' ) );
		// Why: options.php asks for manage_options unless the option group names its own cap.
		add_filter(
			'option_page_capability_almaseo_outreach',
			static function () {
				return Capabilities::wp_cap( 'settings' );
			}
		);
		add_action( 'admin_menu', array( self::class, 'menu' ) );
		add_action( 'admin_enqueue_scripts', array( AdminPage::class, 'enqueue' ) );
		add_action( 'admin_enqueue_scripts', array( ToolScreens::class, 'enqueue' ) );
		add_action( 'admin_post_almaseo_outreach_permissions', array( PermissionsScreen::class, 'save' ) );
		add_action( 'admin_post_almaseo_outreach_test_connection', array( SettingsScreen::class, 'test_connection' ) );
		add_action( 'admin_post_' . ExportDownload::ACTION, array( ExportDownload::class, 'handle' ) );
		add_action( 'admin_post_' . MailboxOAuth::ACTION, array( MailboxOAuth::class, 'start' ) );
	}

	/**
	 * The Outreach menu (its label with the unread replies' bubble): Board and Inbox (view),
	 * Settings, Activity and Do not contact (settings), Permissions (administrators).
	 */
	public static function menu() {
		AdminPage::$hook = add_menu_page(
			__( 'Outreach', 'almaseo-outreach' ),
			InboxCount::label( __( 'Outreach', 'almaseo-outreach' ) ),
			Capabilities::wp_cap( 'view' ),
			self::SLUG,
			array( AdminPage::class, 'render' ),
			'dashicons-email-alt',
			58
		);
		add_submenu_page( self::SLUG, __( 'Outreach board', 'almaseo-outreach' ), __( 'Board', 'almaseo-outreach' ), Capabilities::wp_cap( 'view' ), self::SLUG, array( AdminPage::class, 'render' ) );
		add_submenu_page( self::SLUG, __( 'Outreach settings', 'almaseo-outreach' ), __( 'Settings', 'almaseo-outreach' ), Capabilities::wp_cap( 'settings' ), self::SLUG . '-settings', array( SettingsScreen::class, 'render' ) );
		ToolScreens::add_all();
		add_submenu_page( self::SLUG, __( 'Outreach permissions', 'almaseo-outreach' ), __( 'Permissions', 'almaseo-outreach' ), PermissionsScreen::MANAGE_CAP, self::SLUG . '-permissions', array( PermissionsScreen::class, 'render' ) );
	}
}
