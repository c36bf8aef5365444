<?php
/**
 * Outreach → Activity and Outreach → Do not contact: screens for `settings` users, each an
 * empty mount point filled by its own entry module.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Adds the screens to the Outreach menu and enqueues each one's module on it only. Their
 * data comes from the allow-listed proxy routes (`/audit`, `/suppressions`).
 */
final class ToolScreens {

	/**
	 * Entry module of each screen, by its hook suffix.
	 *
	 * @var array<string,string>
	 */
	private static $entries = array();

	/**
	 * Add the screens under the Outreach menu (admin_menu).
	 */
	public static function add_all() {
		self::add(
			'almaseo-outreach-activity',
			__( 'Outreach activity', 'almaseo-outreach' ),
			__( 'Activity', 'almaseo-outreach' ),
			__( 'Who did what on the outreach board, newest first.', 'almaseo-outreach' ),
			'activity-page.js',
			'ao-activity-app'
		);
		self::add(
			'almaseo-outreach-do-not-contact',
			__( 'Do not contact', 'almaseo-outreach' ),
			__( 'Do not contact', 'almaseo-outreach' ),
			__( 'Addresses and domains this site never emails, and why each is on the list. A domain also blocks its subdomains.', 'almaseo-outreach' ),
			'donotcontact-page.js',
			'ao-dnc-app'
		);
	}

	/**
	 * One screen.
	 *
	 * @param string $slug  Menu slug.
	 * @param string $title Page title.
	 * @param string $menu  Menu label.
	 * @param string $intro One sentence under the title.
	 * @param string $entry Entry module under assets/js.
	 * @param string $mount Id of the element the module fills.
	 */
	private static function add( $slug, $title, $menu, $intro, $entry, $mount ) {
		$render = static function () use ( $title, $intro, $mount ) {
			self::render( $title, $intro, $mount );
		};
		$hook   = add_submenu_page( Plugin::SLUG, $title, $menu, Capabilities::wp_cap( 'settings' ), $slug, $render );
		if ( is_string( $hook ) && '' !== $hook ) {
			self::$entries[ $hook ] = $entry;
		}
	}

	/**
	 * Render a screen's mount point.
	 *
	 * @param string $title Page title.
	 * @param string $intro One sentence under the title.
	 * @param string $mount Id of the element the module fills.
	 */
	private static function render( $title, $intro, $mount ) {
		if ( ! Capabilities::can( 'settings' ) ) {
			wp_die( esc_html__( 'You are not allowed to manage outreach settings.', 'almaseo-outreach' ), 403 );
		}
		echo '<div class="wrap almaseo-outreach-wrap"><h1>' . esc_html( $title ) . '</h1>';
		echo '<p>' . esc_html( $intro ) . '</p>';
		AdminPage::print_config();
		echo '<div id="' . esc_attr( $mount ) . '"><p class="ao-loading">' . esc_html__( 'Loading…', 'almaseo-outreach' ) . '</p></div>';
		echo '<noscript><p>' . esc_html__( 'This screen needs JavaScript.', 'almaseo-outreach' ) . '</p></noscript></div>';
	}

	/**
	 * Enqueue the current screen's module and styles (admin_enqueue_scripts).
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		if ( isset( self::$entries[ $hook_suffix ] ) ) {
			$entry = self::$entries[ $hook_suffix ];
			AdminPage::enqueue_entry( 'almaseo-outreach-' . basename( $entry, '.js' ), $entry );
		}
	}
}
