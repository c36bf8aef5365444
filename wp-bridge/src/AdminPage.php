<?php
/**
 * The board screen: an empty mount point plus the page's own scripts and styles.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Renders the board page and enqueues its assets on that screen only.
 */
final class AdminPage {

	/**
	 * Hook suffix of the board page (set when the menu is added).
	 *
	 * @var string
	 */
	public static $hook = '';

	const SCRIPTS = array(
		'api'       => array( 'wp-api-fetch', 'wp-i18n' ),
		'ui'        => array( 'wp-i18n' ),
		'modals'    => array( 'wp-i18n' ),
		'send'      => array( 'wp-i18n' ),
		'history'   => array( 'wp-i18n' ),
		'library'   => array( 'wp-i18n' ),
		'templates' => array( 'wp-i18n' ),
		'sequences' => array( 'wp-i18n' ),
		'card'      => array( 'wp-i18n' ),
		'board'     => array( 'wp-i18n' ),
	);

	/**
	 * Render the mount point; the script builds the board with DOM APIs.
	 */
	public static function render() {
		if ( ! Capabilities::can( 'view' ) ) {
			wp_die( esc_html__( 'You are not allowed to view the outreach board.', 'almaseo-outreach' ), 403 );
		}
		echo '<div class="wrap almaseo-outreach-wrap"><h1>' . esc_html__( 'Outreach', 'almaseo-outreach' ) . '</h1>';
		if ( ! Settings::is_configured() ) {
			echo '<div class="notice notice-warning"><p>' . esc_html__( 'The outreach service is not configured yet.', 'almaseo-outreach' ) . '</p></div>';
		}
		echo '<div id="ao-app" aria-live="polite"><p class="ao-loading">' . esc_html__( 'Loading the board…', 'almaseo-outreach' ) . '</p></div>';
		echo '<noscript><p>' . esc_html__( 'The outreach board needs JavaScript.', 'almaseo-outreach' ) . '</p></noscript></div>';
	}

	/**
	 * Enqueue the board's assets, only on the board screen.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		if ( '' === self::$hook || $hook_suffix !== self::$hook ) {
			return;
		}
		$base = plugins_url( 'assets/', ALMASEO_OUTREACH_FILE );
		wp_enqueue_style( 'almaseo-outreach-board', $base . 'css/board.css', array(), ALMASEO_OUTREACH_VERSION );
		$previous = array();
		foreach ( self::SCRIPTS as $name => $deps ) {
			$handle = 'almaseo-outreach-' . $name;
			wp_enqueue_script( $handle, $base . 'js/' . $name . '.js', array_merge( $deps, $previous ), ALMASEO_OUTREACH_VERSION, true );
			wp_set_script_translations( $handle, 'almaseo-outreach', ALMASEO_OUTREACH_DIR . '/languages' );
			$previous = array( $handle );
		}
		wp_add_inline_script( 'almaseo-outreach-api', 'window.almaseoOutreachConfig = ' . wp_json_encode( self::config() ) . ';', 'before' );
	}

	/**
	 * What the page needs to know: never the secret, only the REST namespace and the user's caps.
	 *
	 * @return array
	 */
	public static function config() {
		$poll = defined( 'ALMASEO_OUTREACH_POLL_SECONDS' ) ? (int) ALMASEO_OUTREACH_POLL_SECONDS : 15;
		return array(
			'namespace'   => '/' . RestController::NAMESPACE_V1,
			'caps'        => Capabilities::current_map(),
			'pollSeconds' => max( 1, (int) apply_filters( 'almaseo_outreach_poll_seconds', $poll ) ),
			'configured'  => Settings::is_configured(),
			'userId'      => get_current_user_id(),
		);
	}
}
