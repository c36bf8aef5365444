<?php
/**
 * Per-user permissions: a table of users with one checkbox per outreach capability.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Lists users and grants or removes each capability.
 */
final class PermissionsScreen {

	// Why: granting capabilities is user management, so only those who may promote users do it.
	const MANAGE_CAP = 'promote_users';

	const NONCE = 'almaseo_outreach_permissions';

	/**
	 * Render the table.
	 */
	public static function render() {
		Screen::deny_unless( current_user_can( self::MANAGE_CAP ), __( 'You are not allowed to manage outreach permissions.', 'almaseo-outreach' ) );
		$users  = get_users(
			array(
				'orderby' => 'login',
				'number'  => 500,
			)
		);
		$labels = Capabilities::labels();
		Screen::open( __( 'Outreach permissions', 'almaseo-outreach' ) );
		if ( isset( $_GET['updated'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
			echo '<div class="notice notice-success"><p>' . esc_html__( 'Permissions saved.', 'almaseo-outreach' ) . '</p></div>';
		}
		echo '<p>' . esc_html__( 'Tick what each person may do on the outreach board. Without “View board” the Outreach menu is hidden.', 'almaseo-outreach' ) . '</p>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="almaseo_outreach_permissions">';
		wp_nonce_field( self::NONCE );
		echo '<table class="widefat striped almaseo-outreach-permissions"><thead><tr><th scope="col">' . esc_html__( 'User', 'almaseo-outreach' ) . '</th>';
		foreach ( $labels as $label ) {
			echo '<th scope="col">' . esc_html( $label ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $users as $user ) {
			echo '<tr data-user="' . esc_attr( $user->user_login ) . '"><th scope="row">' . esc_html( $user->display_name ) . ' <code>' . esc_html( $user->user_login ) . '</code>';
			echo '<input type="hidden" name="users[]" value="' . esc_attr( (string) $user->ID ) . '"></th>';
			foreach ( $labels as $name => $label ) {
				$id = 'cap-' . $user->ID . '-' . $name;
				echo '<td><input type="checkbox" id="' . esc_attr( $id ) . '" name="caps[' . esc_attr( (string) $user->ID ) . '][]" value="' . esc_attr( $name ) . '"' . checked( user_can( $user, Capabilities::wp_cap( $name ) ), true, false ) . '>';
				/* translators: 1: capability label, 2: user login */
				echo '<label class="screen-reader-text" for="' . esc_attr( $id ) . '">' . esc_html( sprintf( __( '%1$s for %2$s', 'almaseo-outreach' ), $label, $user->user_login ) ) . '</label></td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table>';
		submit_button( __( 'Save permissions', 'almaseo-outreach' ) );
		echo '</form></div>';
	}

	/**
	 * Save the checkboxes (admin-post handler).
	 */
	public static function save() {
		Screen::deny_unless( current_user_can( self::MANAGE_CAP ), __( 'You are not allowed to manage outreach permissions.', 'almaseo-outreach' ) );
		check_admin_referer( self::NONCE );
		$user_ids = isset( $_POST['users'] ) ? array_map( 'absint', (array) wp_unslash( $_POST['users'] ) ) : array();
		$caps     = isset( $_POST['caps'] ) && is_array( $_POST['caps'] ) ? wp_unslash( $_POST['caps'] ) : array(); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- each value is checked against the allow-list below.
		foreach ( $user_ids as $user_id ) {
			$user = get_userdata( $user_id );
			if ( ! $user ) {
				continue;
			}
			$wanted = isset( $caps[ $user_id ] ) ? array_map( 'sanitize_key', (array) $caps[ $user_id ] ) : array();
			foreach ( Capabilities::NAMES as $name ) {
				$grant = in_array( $name, $wanted, true );
				if ( user_can( $user, Capabilities::wp_cap( $name ) ) !== $grant ) {
					Capabilities::set_for_user( $user, $name, $grant );
				}
			}
		}
		wp_safe_redirect( add_query_arg( 'updated', '1', admin_url( 'admin.php?page=' . Plugin::SLUG . '-permissions' ) ) );
		exit;
	}
}
