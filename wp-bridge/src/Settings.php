<?php
/**
 * Connection settings: service URL, key id and secret (constants in wp-config.php win).
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

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
	 * @param mixed $input Submitted value.
	 * @return array{url:string,key_id:string,secret:string}
	 */
	public static function sanitize( $input ) {
		$old   = self::stored();
		$input = is_array( $input ) ? $input : array();
		$url   = isset( $input['url'] ) ? esc_url_raw( trim( (string) $input['url'] ), array( 'http', 'https' ) ) : $old['url'];
		$key   = isset( $input['key_id'] ) ? sanitize_text_field( (string) $input['key_id'] ) : $old['key_id'];
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
	 * Register the option with its sanitizer (autoload off: only admin screens need it).
	 */
	public static function register() {
		register_setting(
			'almaseo_outreach',
			self::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( self::class, 'sanitize' ),
				'show_in_rest'      => false,
				'default'           => array(),
			)
		);
	}
}
