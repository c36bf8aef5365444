<?php
/**
 * Outreach → Activity: the site's audit trail (who did what, when) on its own screen.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Renders the Activity screen's mount point and enqueues its module there only. The list
 * itself comes from the `/audit` proxy route (settings), names resolved by UserNames.
 */
final class ActivityScreen {

	const SLUG   = 'almaseo-outreach-activity';
	const HANDLE = 'almaseo-outreach-activity';

	/**
	 * Hook suffix of the screen (set when the menu is added).
	 *
	 * @var string
	 */
	public static $hook = '';

	/**
	 * Render the mount point; activity-page.js fills it.
	 */
	public static function render() {
		if ( ! Capabilities::can( 'settings' ) ) {
			wp_die( esc_html__( 'You are not allowed to see the outreach activity.', 'almaseo-outreach' ), 403 );
		}
		echo '<div class="wrap almaseo-outreach-wrap"><h1>' . esc_html__( 'Outreach activity', 'almaseo-outreach' ) . '</h1>';
		echo '<p>' . esc_html__( 'Who did what on the outreach board, newest first.', 'almaseo-outreach' ) . '</p>';
		AdminPage::print_config();
		echo '<div id="ao-activity-app"><p class="ao-loading">' . esc_html__( 'Loading…', 'almaseo-outreach' ) . '</p></div>';
		echo '<noscript><p>' . esc_html__( 'The activity list needs JavaScript.', 'almaseo-outreach' ) . '</p></noscript></div>';
	}

	/**
	 * Enqueue the screen's module and styles, only on this screen.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		if ( '' === self::$hook || $hook_suffix !== self::$hook ) {
			return;
		}
		AdminPage::enqueue_entry( self::HANDLE, 'activity-page.js' );
	}
}
