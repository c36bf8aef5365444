<?php
/**
 * The plugin's WordPress capabilities and their service counterparts.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Maps WordPress caps (almaseo_outreach_*) to service caps (outreach.*), grants and revokes them.
 */
final class Capabilities {

	const PREFIX = 'almaseo_outreach_';

	/**
	 * Short names, in the contract's order.
	 */
	const NAMES = array( 'view', 'edit', 'delete', 'send', 'templates', 'sequences', 'settings' );

	/**
	 * The WordPress capability for a short name, e.g. view → almaseo_outreach_view.
	 *
	 * @param string $name Short name.
	 * @return string
	 */
	public static function wp_cap( $name ) {
		return self::PREFIX . $name;
	}

	/**
	 * Every WordPress capability of the plugin.
	 *
	 * @return string[]
	 */
	public static function all_wp_caps() {
		return array_map( array( self::class, 'wp_cap' ), self::NAMES );
	}

	/**
	 * Human labels for the permissions screen.
	 *
	 * @return array<string,string>
	 */
	public static function labels() {
		return array(
			'view'      => __( 'View board', 'almaseo-outreach' ),
			'edit'      => __( 'Edit opportunities', 'almaseo-outreach' ),
			'delete'    => __( 'Delete opportunities', 'almaseo-outreach' ),
			'send'      => __( 'Send emails and sequences', 'almaseo-outreach' ),
			'templates' => __( 'Manage templates', 'almaseo-outreach' ),
			'sequences' => __( 'Manage sequences', 'almaseo-outreach' ),
			'settings'  => __( 'Settings', 'almaseo-outreach' ),
		);
	}

	/**
	 * Whether a user holds one of the plugin's caps.
	 *
	 * @param string   $name    Short name.
	 * @param int|null $user_id User id (current user when null).
	 * @return bool
	 */
	public static function can( $name, $user_id = null ) {
		$cap = self::wp_cap( $name );
		return null === $user_id ? current_user_can( $cap ) : user_can( $user_id, $cap );
	}

	/**
	 * The service capabilities a user holds, for the X-Outreach-Caps header.
	 *
	 * @param int $user_id User id.
	 * @return string[]
	 */
	public static function service_caps( $user_id ) {
		$caps = array();
		foreach ( self::NAMES as $name ) {
			if ( $user_id && user_can( $user_id, self::wp_cap( $name ) ) ) {
				$caps[] = 'outreach.' . $name;
			}
		}
		return $caps;
	}

	/**
	 * Short names the current user holds (sent to the page so it renders only allowed buttons).
	 *
	 * @return array<string,bool>
	 */
	public static function current_map() {
		$map = array();
		foreach ( self::NAMES as $name ) {
			$map[ $name ] = self::can( $name );
		}
		return $map;
	}

	/**
	 * Grant or remove one cap for one user; a role-granted cap is removed with an explicit deny.
	 *
	 * @param \WP_User $user  User.
	 * @param string   $name  Short name.
	 * @param bool     $grant Grant (true) or remove (false).
	 */
	public static function set_for_user( \WP_User $user, $name, $grant ) {
		$cap = self::wp_cap( $name );
		if ( $grant ) {
			$user->add_cap( $cap, true );
			return;
		}
		// Why: user caps override role caps, so an administrator keeps the role but loses this cap.
		$from_role = false;
		foreach ( $user->roles as $role_name ) {
			$role = get_role( $role_name );
			if ( $role && $role->has_cap( $cap ) ) {
				$from_role = true;
			}
		}
		if ( $from_role ) {
			$user->add_cap( $cap, false );
		} else {
			$user->remove_cap( $cap );
		}
	}

	/**
	 * Activation: administrators get every cap (through their role).
	 */
	public static function activate() {
		$role = get_role( 'administrator' );
		if ( $role ) {
			foreach ( self::all_wp_caps() as $cap ) {
				$role->add_cap( $cap );
			}
		}
	}

	/**
	 * Uninstall: remove every cap from every role and every user.
	 */
	public static function remove_everywhere() {
		foreach ( wp_roles()->role_objects as $role ) {
			foreach ( self::all_wp_caps() as $cap ) {
				$role->remove_cap( $cap );
			}
		}
		$users = get_users(
			array(
				'fields'       => 'all',
				'meta_key'     => $GLOBALS['wpdb']->get_blog_prefix() . 'capabilities', // phpcs:ignore WordPress.DB.SlowDBQuery
				'meta_compare' => 'LIKE',
				'meta_value'   => self::PREFIX, // phpcs:ignore WordPress.DB.SlowDBQuery
			)
		);
		foreach ( $users as $user ) {
			foreach ( self::all_wp_caps() as $cap ) {
				$user->remove_cap( $cap );
			}
		}
	}
}
