<?php
/**
 * WordPress display names for the user ids of the service's audit trail.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * The service knows user ids only; the names live here, so they are resolved here.
 */
final class UserNames {

	/**
	 * Add `user_name` to each item of an audit page.
	 *
	 * @param mixed $page The service's answer ({items, total, ...}).
	 * @return mixed The same answer with names.
	 */
	public static function resolve( $page ) {
		if ( ! is_array( $page ) || ! isset( $page['items'] ) || ! is_array( $page['items'] ) ) {
			return $page;
		}
		$names = array();
		foreach ( $page['items'] as $index => $item ) {
			$id = isset( $item['user'] ) ? (int) $item['user'] : 0;
			if ( ! isset( $names[ $id ] ) ) {
				$names[ $id ] = self::name( $id );
			}
			$page['items'][ $index ]['user_name'] = $names[ $id ];
		}
		return $page;
	}

	/**
	 * One user's display name: "System" for 0, "User #n" once the account is gone.
	 *
	 * @param int $id WordPress user id.
	 * @return string
	 */
	private static function name( $id ) {
		if ( 0 === $id ) {
			return __( 'System', 'almaseo-outreach' );
		}
		$user = get_userdata( $id );
		/* translators: %d: a WordPress user id whose account no longer exists */
		return $user ? $user->display_name : sprintf( __( 'User #%d', 'almaseo-outreach' ), $id );
	}
}
