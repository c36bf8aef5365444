<?php
/**
 * The unread replies count in the Outreach menu's bubble.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the site's unread replies from the service (`GET /api/v1/replies`, its `unread`)
 * at most once a minute for the whole site (a transient), with a short timeout: the admin
 * menu is drawn on every wp-admin page, which must not wait on the service.
 */
final class InboxCount {

	const TRANSIENT = 'almaseo_outreach_unread_replies';
	const TTL       = 60;
	const TIMEOUT   = 3;

	/**
	 * The unread count, or null when unknown (not configured, service down: no bubble).
	 *
	 * @return int|null
	 */
	public static function unread() {
		if ( ! Settings::is_configured() || ! Capabilities::can( 'view' ) ) {
			return null;
		}
		$cached = get_transient( self::TRANSIENT );
		if ( false !== $cached ) {
			return (int) $cached < 0 ? null : (int) $cached;
		}
		$count = self::fetch();
		// A failure is remembered too (as -1), so a down service costs one call a minute.
		set_transient( self::TRANSIENT, null === $count ? -1 : $count, self::TTL );
		return $count;
	}

	/**
	 * Ask the service once.
	 *
	 * @return int|null
	 */
	private static function fetch() {
		$client = ServiceClient::from_settings();
		if ( null === $client ) {
			return null;
		}
		$user   = get_current_user_id();
		$answer = $client->request( 'GET', '/api/v1/replies', array( 'page_size' => 1 ), null, $user, Capabilities::service_caps( $user ), array(), self::TIMEOUT );
		if ( ! $answer['ok'] || ! is_array( $answer['data'] ) || ! isset( $answer['data']['unread'] ) ) {
			return null;
		}
		return max( 0, (int) $answer['data']['unread'] );
	}

	/**
	 * A menu label with WordPress' count bubble when there are unread replies.
	 *
	 * @param string $label Menu label.
	 * @return string Label (HTML, escaped).
	 */
	public static function label( $label ) {
		$count = self::unread();
		$html  = esc_html( $label );
		if ( null === $count || $count < 1 ) {
			return $html . ' <span class="awaiting-mod count-0 ao-unread-bubble"><span class="pending-count">0</span></span>';
		}
		return $html . sprintf(
			' <span class="awaiting-mod count-%1$d ao-unread-bubble"><span class="pending-count" aria-hidden="true">%2$s</span><span class="screen-reader-text">%3$s</span></span>',
			(int) $count,
			esc_html( number_format_i18n( $count ) ),
			/* translators: %s: number of unread replies */
			esc_html( sprintf( _n( '%s unread reply', '%s unread replies', $count, 'almaseo-outreach' ), number_format_i18n( $count ) ) )
		);
	}
}
