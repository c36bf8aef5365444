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

	const HANDLE = 'almaseo-outreach-board';

	/**
	 * Render the mount point; the script builds the board with DOM APIs.
	 */
	public static function render() {
		Screen::deny_unless( Capabilities::can( 'view' ), __( 'You are not allowed to view the outreach board.', 'almaseo-outreach' ) );
		Screen::open( __( 'Outreach', 'almaseo-outreach' ), 'wrap almaseo-outreach-wrap' );
		if ( ! Settings::is_configured() ) {
			echo '<div class="notice notice-warning"><p>' . esc_html__( 'The outreach service is not configured yet.', 'almaseo-outreach' ) . '</p></div>';
		}
		Screen::mount( 'ao-app', __( 'Loading the board…', 'almaseo-outreach' ), __( 'The outreach board needs JavaScript.', 'almaseo-outreach' ) );
	}

	/**
	 * Enqueue the board's assets, only on the board screen: one ES module (it imports the
	 * others), its configuration as a JSON data block, WordPress' api-fetch and i18n.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		if ( '' === self::$hook || $hook_suffix !== self::$hook ) {
			return;
		}
		self::enqueue_entry( self::HANDLE, 'board.js' );
	}

	/**
	 * Enqueue one entry module of ours (it imports the rest from the feature folders), the
	 * plugin's styles, and WordPress' api-fetch and i18n it builds on.
	 *
	 * @param string $handle Script and style handle.
	 * @param string $entry  Entry module: a file at the top of assets/js.
	 */
	public static function enqueue_entry( $handle, $entry ) {
		$base = plugins_url( 'assets/', ALMASEO_OUTREACH_FILE );
		wp_enqueue_style( $handle, $base . 'css/board.css', array(), ALMASEO_OUTREACH_VERSION );
		wp_enqueue_script( $handle, $base . 'js/' . $entry, array( 'wp-api-fetch', 'wp-i18n' ), ALMASEO_OUTREACH_VERSION, true );
		ModuleScripts::mark_module( $handle );
	}

	/**
	 * Print the page configuration (config() and the translations) as the JSON data block
	 * config.js reads.
	 */
	public static function print_config() {
		$config               = self::config();
		$config['localeData'] = ModuleScripts::locale_data( 'almaseo-outreach', ALMASEO_OUTREACH_DIR . '/assets/js', ALMASEO_OUTREACH_DIR . '/languages' );
		ModuleScripts::print_json( 'almaseo-outreach-config', $config );
	}

	/**
	 * What the page needs to know: never the secret, only the REST namespace and the user's caps.
	 *
	 * @return array
	 */
	public static function config() {
		// Polls are cheap now (304 or a delta), so a few seconds is the default.
		$poll = defined( 'ALMASEO_OUTREACH_POLL_SECONDS' ) ? (int) ALMASEO_OUTREACH_POLL_SECONDS : 3;
		return array(
			'namespace'    => '/' . RestController::NAMESPACE_V1,
			'caps'         => Capabilities::current_map(),
			'pollSeconds'  => max( 1, (int) apply_filters( 'almaseo_outreach_poll_seconds', $poll ) ),
			'configured'   => Settings::is_configured(),
			'userId'       => get_current_user_id(),
			'timezone'     => self::timezone(),
			'timezoneName' => self::timezone_name(),
			'exportUrl'    => ExportDownload::url(),
			// Connect with Google / Microsoft on the Mailboxes screen (settings only).
			'mailboxOAuth' => Capabilities::can( 'settings' ) ? MailboxOAuth::config() : null,
		);
	}

	/**
	 * The site's IANA time zone for dates on the page. A fixed offset of whole hours is the
	 * matching Etc/GMT zone (whose sign is inverted by definition); another offset is '' (the
	 * browser's zone, as Intl takes no "+05:30").
	 *
	 * @return string
	 */
	private static function timezone() {
		$zone = (string) get_option( 'timezone_string' );
		if ( false !== strpos( $zone, '/' ) || 'UTC' === $zone ) {
			return $zone;
		}
		$hours = (float) get_option( 'gmt_offset' );
		if ( 0.0 === $hours ) {
			return 'UTC';
		}
		return floor( $hours ) === $hours ? sprintf( 'Etc/GMT%+d', -$hours ) : '';
	}

	/**
	 * The site's time zone as the page names it: "Europe/Berlin", "UTC+05:00"; '' where
	 * the page shows the browser's zone (an offset Intl cannot take).
	 *
	 * @return string
	 */
	private static function timezone_name() {
		$zone = self::timezone();
		if ( 0 === strpos( $zone, 'Etc/' ) ) {
			return 'UTC' . wp_timezone_string(); // "UTC+05:00" reads better than "Etc/GMT-5"
		}
		return $zone;
	}
}
