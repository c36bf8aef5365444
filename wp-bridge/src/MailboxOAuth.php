<?php
/**
 * "Connect with Google / Microsoft" on Outreach → Mailboxes: the start (admin-post) and
 * the page the provider sends the person back to (docs/api.md §15, OAuth).
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * The bridge's part of the authorization-code flow. The service makes the consent URL and
 * seals the flow in `state`; the provider sends `state` and `code` back to the Mailboxes
 * screen, which hands them to the service and shows the mailbox. The redirect URI must be
 * exactly the one registered with the provider, so it cannot carry a WordPress nonce:
 * instead the start keeps a hash of `state` for the user who pressed Connect (with its
 * nonce and capability checked), and the return page accepts only that state, once, from
 * that user, within the 15 minutes the service's state lives.
 */
final class MailboxOAuth {

	const ACTION = 'almaseo_outreach_mailbox_oauth';

	/**
	 * The flow a user started (hash of its state, expiry): user meta, one at a time.
	 */
	const FLOW_META = 'almaseo_outreach_oauth_flow';

	/**
	 * The outcome shown once on the screen after the return (user meta).
	 */
	const RESULT_META = 'almaseo_outreach_oauth_result';

	const SLUG      = 'almaseo-outreach-mailboxes';
	const PROVIDERS = array( 'google', 'microsoft' );
	const LIFETIME  = 900;

	/**
	 * The Mailboxes screen, also the redirect URI to register with the providers.
	 *
	 * @param array $args Query arguments to add.
	 * @return string
	 */
	public static function screen_url( array $args = array() ) {
		return add_query_arg( $args, admin_url( 'admin.php?page=' . self::SLUG ) );
	}

	/**
	 * What the screen needs: the start URL (nonce included; the page adds `provider`) and
	 * the redirect URI it shows for the providers' consoles.
	 *
	 * @return array{start:string,redirect:string}
	 */
	public static function config() {
		// Not wp_nonce_url(): it HTML-escapes the URL, and this one goes into JSON.
		$start = add_query_arg(
			array(
				'action'   => self::ACTION,
				'_wpnonce' => wp_create_nonce( self::ACTION ),
			),
			admin_url( 'admin-post.php' )
		);
		return array(
			'start'    => $start,
			'redirect' => self::screen_url(),
		);
	}

	/**
	 * Start connecting (admin-post handler): ask the service for the consent URL, keep the
	 * state's hash for this user, send the browser to the provider.
	 */
	public static function start() {
		Screen::deny_unless( Capabilities::can( 'settings' ), __( 'You are not allowed to change outreach settings.', 'almaseo-outreach' ) );
		check_admin_referer( self::ACTION );
		$provider = isset( $_GET['provider'] ) ? sanitize_key( wp_unslash( $_GET['provider'] ) ) : '';
		if ( ! in_array( $provider, self::PROVIDERS, true ) ) {
			self::done( false, __( 'Unknown provider.', 'almaseo-outreach' ) );
		}
		$body   = array(
			'provider'     => $provider,
			'redirect_uri' => self::screen_url(),
		);
		$answer = self::call( '/api/v1/mailboxes/oauth/start', $body, 15 );
		if ( ! $answer['ok'] || empty( $answer['data']['authorize_url'] ) || empty( $answer['data']['state'] ) ) {
			self::done( false, self::reason( $answer ) );
		}
		$flow = array(
			'state' => hash( 'sha256', (string) $answer['data']['state'] ),
			'until' => time() + self::LIFETIME,
		);
		update_user_meta( get_current_user_id(), self::FLOW_META, $flow );
		// The provider's consent page is on its own host, which wp_safe_redirect() refuses.
		wp_redirect( (string) $answer['data']['authorize_url'] ); // phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		exit;
	}

	/**
	 * The provider's redirect back to the screen (load-{screen} hook): finish with the
	 * service, remember the outcome, load the screen again without `code` in its URL.
	 */
	public static function finish() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- the provider's redirect cannot carry a nonce; the state kept for this user does its job (see the class).
		if ( ! isset( $_GET['state'] ) ) {
			return;
		}
		Screen::deny_unless( Capabilities::can( 'settings' ), __( 'You are not allowed to change outreach settings.', 'almaseo-outreach' ) );
		$state = sanitize_text_field( wp_unslash( $_GET['state'] ) );
		$code  = isset( $_GET['code'] ) ? sanitize_text_field( wp_unslash( $_GET['code'] ) ) : '';
		$error = isset( $_GET['error_description'] ) ? $_GET['error_description'] : ( isset( $_GET['error'] ) ? $_GET['error'] : '' );
		$error = sanitize_text_field( wp_unslash( $error ) );
		// phpcs:enable WordPress.Security.NonceVerification.Recommended
		$user = get_current_user_id();
		$flow = get_user_meta( $user, self::FLOW_META, true );
		delete_user_meta( $user, self::FLOW_META ); // once: a reload cannot replay it
		if ( ! self::is_users_flow( $flow, $state, time() ) ) {
			self::done( false, __( 'This sign-in was not started here or has expired: press Connect again.', 'almaseo-outreach' ) );
		}
		if ( '' !== $error || '' === $code ) {
			/* translators: %s: the provider's reason, e.g. access_denied */
			self::done( false, sprintf( __( 'The provider did not connect the mailbox: %s', 'almaseo-outreach' ), '' !== $error ? $error : __( 'no code came back.', 'almaseo-outreach' ) ) );
		}
		$body   = array(
			'state' => $state,
			'code'  => $code,
		);
		$answer = self::call( '/api/v1/mailboxes/oauth/finish', $body, 20 );
		if ( ! $answer['ok'] || empty( $answer['data']['id'] ) ) {
			self::done( false, self::reason( $answer ) );
		}
		/* translators: %s: the mailbox's address */
		self::done( true, sprintf( __( 'Connected %s.', 'almaseo-outreach' ), (string) $answer['data']['email'] ), (int) $answer['data']['id'] );
	}

	/**
	 * Whether a returned `state` is the one this user's Connect kept, still in time.
	 *
	 * @param mixed  $flow  What start() kept for the user (array{state,until}), or anything.
	 * @param string $state The state the provider sent back.
	 * @param int    $now   Unix time.
	 * @return bool
	 */
	public static function is_users_flow( $flow, $state, $now ) {
		if ( ! is_array( $flow ) || empty( $flow['state'] ) || ! isset( $flow['until'] ) || '' === (string) $state ) {
			return false;
		}
		return (int) $flow['until'] >= $now && hash_equals( (string) $flow['state'], hash( 'sha256', (string) $state ) );
	}

	/**
	 * Show (once) the outcome of this user's last Connect, above the screen.
	 */
	public static function render_result() {
		Screen::notice_once( self::RESULT_META, 'almaseo-outreach-oauth-result' );
	}

	/**
	 * Keep the outcome for the screen and load it (the mailbox's id in `mailbox`).
	 *
	 * @param bool   $ok      Connected.
	 * @param string $message What to tell the person.
	 * @param int    $id      The mailbox (0: none).
	 */
	private static function done( $ok, $message, $id = 0 ) {
		$result = array(
			'ok'      => $ok,
			'message' => $message,
		);
		update_user_meta( get_current_user_id(), self::RESULT_META, $result );
		wp_safe_redirect( self::screen_url( $id ? array( 'mailbox' => $id ) : array() ) );
		exit;
	}

	/**
	 * One signed POST to the service as the current user.
	 *
	 * @param string $path    Service path.
	 * @param array  $body    JSON body.
	 * @param int    $timeout Seconds.
	 * @return array{ok:bool,status:int,data:mixed,error:string}
	 */
	private static function call( $path, array $body, $timeout ) {
		$client = ServiceClient::from_settings();
		if ( null === $client ) {
			return array(
				'ok'     => false,
				'status' => 503,
				'data'   => null,
				'error'  => __( 'The outreach service is not configured yet.', 'almaseo-outreach' ),
			);
		}
		$user = get_current_user_id();
		return $client->request( 'POST', $path, array(), $body, $user, Capabilities::service_caps( $user ), array(), $timeout );
	}

	/**
	 * Why a call failed, in the service's words (never the transport's detail).
	 *
	 * @param array $answer A call's answer.
	 * @return string
	 */
	private static function reason( array $answer ) {
		if ( is_array( $answer['data'] ) && ! empty( $answer['data']['message'] ) ) {
			return (string) $answer['data']['message'];
		}
		if ( 503 === $answer['status'] && '' !== $answer['error'] ) {
			return $answer['error'];
		}
		return __( 'The outreach service could not be reached. Try again in a moment.', 'almaseo-outreach' );
	}
}
