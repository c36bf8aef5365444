<?php
/**
 * The settings screen: service URL, key id, secret (never echoed) and "Test connection".
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Renders the connection form and runs the connection test.
 */
final class SettingsScreen {

	const RESULT_META = 'almaseo_outreach_connection_test';

	const NONCE = 'almaseo_outreach_test_connection';

	const NONCE_FIELD = '_almaseo_outreach_test_nonce';

	/**
	 * Render the screen.
	 */
	public static function render() {
		Screen::deny_unless( Capabilities::can( 'settings' ), __( 'You are not allowed to change outreach settings.', 'almaseo-outreach' ) );
		$stored = Settings::stored();
		Screen::open( __( 'Outreach settings', 'almaseo-outreach' ) );
		settings_errors();
		self::render_test_result();
		echo '<form method="post" action="' . esc_url( admin_url( 'options.php' ) ) . '">';
		settings_fields( 'almaseo_outreach' );
		echo '<table class="form-table" role="presentation">';
		self::field( 'url', __( 'Service URL', 'almaseo-outreach' ), 'url', $stored['url'], __( 'Where the outreach service runs, e.g. http://127.0.0.1:5000', 'almaseo-outreach' ) );
		self::field( 'key_id', __( 'Key id', 'almaseo-outreach' ), 'text', $stored['key_id'], __( 'Printed by “outreach site create”.', 'almaseo-outreach' ) );
		self::secret_field( '' !== $stored['secret'] );
		echo '</table>';
		// Why: Test connection posts this same form (the values typed, saved or not) to
		// admin-post.php; its name="action" comes after settings_fields()' one, so it wins.
		wp_nonce_field( self::NONCE, self::NONCE_FIELD );
		echo '<p class="submit">';
		submit_button( __( 'Save settings', 'almaseo-outreach' ), 'primary', 'submit', false );
		echo ' <button type="submit" id="almaseo-outreach-test" class="button" name="action" value="almaseo_outreach_test_connection" formaction="' . esc_url( admin_url( 'admin-post.php' ) ) . '">' . esc_html__( 'Test connection', 'almaseo-outreach' ) . '</button>';
		echo '</p><p class="description">' . esc_html__( 'Test connection tries the values above as typed, without saving them.', 'almaseo-outreach' ) . '</p>';
		echo '</form></div>';
	}

	/**
	 * One text field, read-only when a constant fixes it.
	 *
	 * @param string $name  Field.
	 * @param string $label Label.
	 * @param string $type  Input type.
	 * @param string $value Stored value.
	 * @param string $help  Help text.
	 */
	private static function field( $name, $label, $type, $value, $help ) {
		$locked = Settings::locked( $name );
		$id     = 'almaseo-outreach-' . $name;
		echo '<tr><th scope="row"><label for="' . esc_attr( $id ) . '">' . esc_html( $label ) . '</label></th><td>';
		if ( $locked ) {
			echo '<input type="' . esc_attr( $type ) . '" id="' . esc_attr( $id ) . '" class="regular-text" value="' . esc_attr( Settings::get( $name ) ) . '" disabled>';
			echo '<p class="description">' . esc_html( self::locked_note( $name ) ) . '</p>';
		} else {
			echo '<input type="' . esc_attr( $type ) . '" id="' . esc_attr( $id ) . '" name="' . esc_attr( Settings::OPTION . '[' . $name . ']' ) . '" class="regular-text" value="' . esc_attr( $value ) . '">';
			echo '<p class="description">' . esc_html( $help ) . '</p>';
		}
		echo '</td></tr>';
	}

	/**
	 * The secret field: never filled in, only says whether one is stored.
	 *
	 * @param bool $has_stored A secret is stored.
	 */
	private static function secret_field( $has_stored ) {
		$id = 'almaseo-outreach-secret';
		echo '<tr><th scope="row"><label for="' . esc_attr( $id ) . '">' . esc_html__( 'Secret', 'almaseo-outreach' ) . '</label></th><td>';
		if ( Settings::locked( 'secret' ) ) {
			echo '<input type="password" id="' . esc_attr( $id ) . '" class="regular-text" value="" placeholder="••••••••" disabled autocomplete="off">';
			echo '<p class="description">' . esc_html( self::locked_note( 'secret' ) ) . '</p>';
		} else {
			$placeholder = $has_stored ? __( 'Stored — leave empty to keep it', 'almaseo-outreach' ) : __( 'Paste the secret printed by the CLI', 'almaseo-outreach' );
			echo '<input type="password" id="' . esc_attr( $id ) . '" name="' . esc_attr( Settings::OPTION . '[secret]' ) . '" class="regular-text" value="" placeholder="' . esc_attr( $placeholder ) . '" autocomplete="new-password">';
			echo '<p class="description">' . esc_html__( 'Shown once by the service CLI. It is never displayed here again nor sent to the browser.', 'almaseo-outreach' ) . '</p>';
			if ( $has_stored ) {
				echo '<p><label><input type="checkbox" id="almaseo-outreach-clear-secret" name="' . esc_attr( Settings::OPTION . '[clear_secret]' ) . '" value="1"> ' . esc_html__( 'Forget the stored secret', 'almaseo-outreach' ) . '</label></p>';
			}
		}
		echo '</td></tr>';
	}

	/**
	 * Explain which constant fixes a field.
	 *
	 * @param string $name Field.
	 * @return string
	 */
	private static function locked_note( $name ) {
		/* translators: %s: PHP constant name */
		return sprintf( __( 'Set by %s in wp-config.php.', 'almaseo-outreach' ), Settings::CONSTANTS[ $name ] );
	}

	/**
	 * Run the test (admin-post handler): /healthz, then one signed call.
	 */
	public static function test_connection() {
		Screen::deny_unless( Capabilities::can( 'settings' ), __( 'You are not allowed to change outreach settings.', 'almaseo-outreach' ) );
		check_admin_referer( self::NONCE, self::NONCE_FIELD );
		$posted = isset( $_POST[ Settings::OPTION ] ) ? wp_unslash( $_POST[ Settings::OPTION ] ) : array(); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- ConnectionDraft::values() sanitizes each field.
		$values = ConnectionDraft::values( $posted );
		update_user_meta( get_current_user_id(), self::RESULT_META, self::run_test( ConnectionDraft::client( $values ), $values['url'] ) );
		wp_safe_redirect( admin_url( 'admin.php?page=' . Plugin::SLUG . '-settings' ) );
		exit;
	}

	/**
	 * The test itself, with the saved settings or (from the form) the values typed.
	 *
	 * @param ServiceClient|null $client Client for the typed values (null: not usable).
	 * @param string|null        $url    Typed URL; null tests the saved settings.
	 * @return array{ok:bool,message:string}
	 */
	public static function run_test( $client = null, $url = null ) {
		if ( null === $url ) {
			$client = ServiceClient::from_settings();
			$url    = Settings::url();
		}
		if ( null === $client ) {
			return self::outcome( false, __( 'Not configured: fill in the service URL, key id and secret first.', 'almaseo-outreach' ) );
		}
		$health = $client->get_public( '/healthz' );
		if ( 0 === $health['status'] ) {
			/* translators: 1: service URL, 2: transport error */
			return self::outcome( false, sprintf( __( 'Cannot reach the service at %1$s: %2$s', 'almaseo-outreach' ), $url, $health['error'] ) );
		}
		if ( 200 !== $health['status'] ) {
			/* translators: %d: HTTP status */
			return self::outcome( false, sprintf( __( 'The service answered /healthz with status %d; is this the outreach service URL?', 'almaseo-outreach' ), $health['status'] ) );
		}
		$user_id = get_current_user_id();
		$signed  = $client->request( 'GET', '/api/v1/site', array(), null, $user_id, Capabilities::service_caps( $user_id ) );
		if ( $signed['ok'] && is_array( $signed['data'] ) ) {
			/* translators: %s: site name registered in the service */
			return self::outcome( true, sprintf( __( 'Connected. The service knows this site as “%s” and accepted the signed request.', 'almaseo-outreach' ), isset( $signed['data']['name'] ) ? (string) $signed['data']['name'] : '' ) );
		}
		$reason = is_array( $signed['data'] ) && isset( $signed['data']['message'] ) ? (string) $signed['data']['message'] : $signed['error'];
		/* translators: 1: HTTP status, 2: the service's reason */
		return self::outcome( false, sprintf( __( 'The service is up but refused the signed request (%1$d): %2$s Check the key id and secret.', 'almaseo-outreach' ), $signed['status'], $reason ) );
	}

	/**
	 * One test outcome.
	 *
	 * @param bool   $ok      Passed.
	 * @param string $message Message.
	 * @return array{ok:bool,message:string}
	 */
	private static function outcome( $ok, $message ) {
		return array(
			'ok'      => $ok,
			'message' => $message,
		);
	}

	/**
	 * Show (once) the last test result of this user.
	 */
	private static function render_test_result() {
		Screen::notice_once( self::RESULT_META, 'almaseo-outreach-test-result' );
	}
}
