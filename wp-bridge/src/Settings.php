<?php
/**
 * Connection settings: service URL, key id and secret (constants in wp-config.php win).
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and stores the connection settings. The secret never leaves PHP.
 */
final class Settings {

	const OPTION = 'almaseo_outreach_connection';

	const CONSTANTS = array(
		'url'    => 'ALMASEO_OUTREACH_URL',
		'key_id' => 'ALMASEO_OUTREACH_KEY_ID',
		'secret' => 'ALMASEO_OUTREACH_SECRET',
	);

	/**
	 * Stored option values (without constants).
	 *
	 * @return array{url:string,key_id:string,secret:string}
	 */
	public static function stored() {
		$value = get_option( self::OPTION, array() );
		$value = is_array( $value ) ? $value : array();
		return array(
			'url'    => isset( $value['url'] ) ? (string) $value['url'] : '',
			'key_id' => isset( $value['key_id'] ) ? (string) $value['key_id'] : '',
			'secret' => isset( $value['secret'] ) ? (string) $value['secret'] : '',
		);
	}

	/**
	 * Whether a field is fixed by a wp-config.php constant.
	 *
	 * @param string $field url|key_id|secret.
	 * @return bool
	 */
	public static function locked( $field ) {
		return defined( self::CONSTANTS[ $field ] ) && '' !== (string) constant( self::CONSTANTS[ $field ] );
	}

	/**
	 * One effective value: the constant when defined, else the option.
	 *
	 * @param string $field url|key_id|secret.
	 * @return string
	 */
	public static function get( $field ) {
		if ( self::locked( $field ) ) {
			return (string) constant( self::CONSTANTS[ $field ] );
		}
		return self::stored()[ $field ];
	}

	/**
	 * The service base URL without a trailing slash.
	 *
	 * @return string
	 */
	public static function url() {
		return untrailingslashit( self::get( 'url' ) );
	}

	/**
	 * Whether URL, key id and secret are all set.
	 *
	 * @return bool
	 */
	public static function is_configured() {
		return '' !== self::url() && '' !== self::get( 'key_id' ) && '' !== self::get( 'secret' );
	}

	/**
	 * Sanitize a settings form submission; an empty secret keeps the stored one.
	 *
	 * A bad service URL refuses the whole submission: the stored settings stay as they were.
	 *
	 * @param mixed $input Submitted value.
	 * @return array{url:string,key_id:string,secret:string}
	 */
	public static function sanitize( $input ) {
		$old   = self::stored();
		$input = is_array( $input ) ? $input : array();
		$url   = isset( $input['url'] ) ? trim( (string) $input['url'] ) : $old['url'];
		if ( ! self::is_service_url( $url ) ) {
			self::refuse_url( $url );
			return $old;
		}
		$key = isset( $input['key_id'] ) ? sanitize_text_field( (string) $input['key_id'] ) : $old['key_id'];
		// Why: the secret is never echoed back into the form, so an empty field means "keep it".
		$secret = isset( $input['secret'] ) ? trim( (string) $input['secret'] ) : '';
		if ( '' === $secret ) {
			$secret = $old['secret'];
		}
		if ( ! empty( $input['clear_secret'] ) ) {
			$secret = '';
		}
		return array(
			'url'    => untrailingslashit( $url ),
			'key_id' => $key,
			'secret' => $secret,
		);
	}

	/**
	 * Whether a service URL is acceptable: empty (not configured) or plain http(s)://host[/path].
	 *
	 * @param string $url Trimmed URL.
	 * @return bool
	 */
	public static function is_service_url( $url ) {
		if ( '' === $url ) {
			return true;
		}
		$parts = wp_parse_url( $url );
		// Why: esc_url_raw keeps "?" and "#", and rewrites what it does not like; the signed
		// request appends its own path and query, so the base must be exactly scheme://host/path.
		return is_array( $parts ) && isset( $parts['scheme'], $parts['host'] )
			&& in_array( strtolower( $parts['scheme'] ), array( 'http', 'https' ), true )
			&& '' !== $parts['host'] && false === strpbrk( $url, '?#' )
			&& esc_url_raw( $url, array( 'http', 'https' ) ) === $url;
	}

	/**
	 * Tell the settings screen why the URL was refused (options.php then skips "Settings saved.").
	 *
	 * @param string $url The refused URL.
	 */
	private static function refuse_url( $url ) {
		if ( ! function_exists( 'add_settings_error' ) ) {
			return; // Why: outside wp-admin (update_option from code) there is no screen to tell.
		}
		add_settings_error(
			self::OPTION,
			'almaseo_outreach_invalid_url',
			// Why esc_html: settings_errors() prints messages as they are.
			esc_html(
				sprintf(
					/* translators: %s: the URL that was typed */
					__( 'The service URL was not saved: “%s” is not a plain http:// or https:// address (no query “?” or fragment “#”). The stored settings are unchanged.', 'almaseo-outreach' ),
					$url
				)
			)
		);
	}

	/**
	 * Register the option with its sanitizer (autoload off: only admin screens need it).
	 */
	public static function register() {
		self::keep_off_autoload();
		register_setting(
			'almaseo_outreach',
			self::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( self::class, 'sanitize' ),
				'show_in_rest'      => false,
			)
		);
	}

	/**
	 * Make sure the option exists and is not autoloaded.
	 *
	 * Why: options.php saves with update_option(), which adds a missing option autoloaded (WP 6.1
	 * has no filter for that) and never changes the flag of an existing one; so the row is created
	 * here first with autoload off, and a row an earlier version left autoloaded is switched off.
	 * No registered default either: update_option() treats a value equal to it as missing.
	 */
	public static function keep_off_autoload() {
		if ( array_key_exists( self::OPTION, wp_load_alloptions() ) ) {
			self::autoload_off();
		} elseif ( false === get_option( self::OPTION, false ) ) {
			add_option( self::OPTION, self::stored(), '', false );
		}
	}

	/**
	 * Switch off the autoload flag of the stored option.
	 */
	private static function autoload_off() {
		global $wpdb;
		if ( function_exists( 'wp_set_option_autoload' ) ) {
			wp_set_option_autoload( self::OPTION, false ); // WordPress 6.4+.
			return;
		}
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery -- WordPress 6.1-6.3 have no API to change the flag; the cache is dropped right below.
		$wpdb->update( $wpdb->options, array( 'autoload' => 'no' ), array( 'option_name' => self::OPTION ) );
		wp_cache_delete( 'alloptions', 'options' );
	}
}
