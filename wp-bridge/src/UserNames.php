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
	 * Add `user_name` to each item of an audit or activity page, and to its `people` (the
	 * activity's person filter). An item whose `user` is null (a prospect's reply) gets none.
	 *
	 * @param mixed $page The service's answer ({items, total, ...} or {items, people, ...}).
	 * @return mixed The same answer with names.
	 */
	public static function resolve( $page ) {
		if ( ! is_array( $page ) || ! isset( $page['items'] ) || ! is_array( $page['items'] ) ) {
			return $page;
		}
		$page['items'] = self::named( $page['items'] );
		if ( isset( $page['people'] ) && is_array( $page['people'] ) ) {
			$page['people'] = self::named( $page['people'] );
		}
		return $page;
	}

	/**
	 * Each row with the display name of its `user`.
	 *
	 * @param array $rows Rows with a `user` (a user id, or null).
	 * @return array The rows with `user_name`.
	 */
	private static function named( array $rows ) {
		$names = array();
		foreach ( $rows as $index => $row ) {
			if ( ! is_array( $row ) || ! isset( $row['user'] ) ) {
				continue;
			}
			$id = (int) $row['user'];
			if ( ! isset( $names[ $id ] ) ) {
				$names[ $id ] = self::name( $id );
			}
			$rows[ $index ]['user_name'] = $names[ $id ];
		}
		return $rows;
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
