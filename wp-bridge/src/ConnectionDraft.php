<?php
/**
 * The connection as typed on the settings screen, for "Test connection" before saving.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Typed values win over stored ones; constants win over both; an empty secret keeps the stored one.
 */
final class ConnectionDraft {

	/**
	 * Effective URL, key id and secret from a posted settings form.
	 *
	 * @param mixed $posted The form's `almaseo_outreach_connection` array (unslashed).
	 * @return array{url:string,key_id:string,secret:string}
	 */
	public static function values( $posted ) {
		$posted = is_array( $posted ) ? $posted : array();
		$stored = Settings::stored();
		$values = array();
		foreach ( array( 'url', 'key_id', 'secret' ) as $field ) {
			$typed = isset( $posted[ $field ] ) ? trim( sanitize_text_field( (string) $posted[ $field ] ) ) : '';
			if ( Settings::locked( $field ) ) {
				$values[ $field ] = Settings::get( $field );
			} elseif ( '' !== $typed || ( 'secret' !== $field && isset( $posted[ $field ] ) ) ) {
				$values[ $field ] = $typed;
			} else {
				$values[ $field ] = $stored[ $field ];
			}
		}
		$values['url'] = untrailingslashit( $values['url'] );
		return $values;
	}

	/**
	 * A client for those values, or null when one is missing or the URL is not acceptable.
	 *
	 * @param array $values From values().
	 * @return ServiceClient|null
	 */
	public static function client( array $values ) {
		if ( '' === $values['url'] || '' === $values['key_id'] || '' === $values['secret'] || ! Settings::is_service_url( $values['url'] ) ) {
			return null;
		}
		return new ServiceClient( $values['url'], new Signer( $values['key_id'], $values['secret'] ) );
	}
}
