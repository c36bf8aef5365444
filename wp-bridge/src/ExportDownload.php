<?php
/**
 * The board's CSV export as a file download, streamed from the service in constant memory.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

use AlmaSEO\Outreach\Generated\Fields;

defined( 'ABSPATH' ) || exit;

/**
 * GET admin-post.php?action=almaseo_outreach_export: the service's file goes to a temporary
 * file and from there to the browser, so 50,000 cards never sit in PHP's memory (a REST
 * answer would hold the whole file, and its JSON encoding, at once).
 */
final class ExportDownload {

	const ACTION = 'almaseo_outreach_export';

	/**
	 * The service operation; its filters' limits come from Generated\Fields.
	 */
	const OPERATION = 'GET /api/v1/opportunities/export';

	/**
	 * The export takes a while for a big board; the REST calls' 15 s would cut it short.
	 */
	const TIMEOUT = 120;

	/**
	 * The URL the Export button opens (nonce included; the page adds `q`).
	 *
	 * @return string
	 */
	public static function url() {
		// Not wp_nonce_url(): it HTML-escapes the URL, and this one goes into JSON.
		return add_query_arg(
			array(
				'action'   => self::ACTION,
				'_wpnonce' => wp_create_nonce( self::ACTION ),
			),
			admin_url( 'admin-post.php' )
		);
	}

	/**
	 * Stream the export to the browser, or stop with a message a person can act on.
	 */
	public static function handle() {
		Screen::deny_unless( Capabilities::can( 'view' ), __( 'You are not allowed to view the outreach board.', 'almaseo-outreach' ) );
		check_admin_referer( self::ACTION );
		$client = ServiceClient::from_settings();
		if ( null === $client ) {
			wp_die( esc_html__( 'The outreach service is not configured yet. An administrator can set it up under Outreach → Settings.', 'almaseo-outreach' ), 503 );
		}
		$file    = wp_tempnam( 'almaseo-outreach-export' );
		$user_id = get_current_user_id();
		$result  = $client->download( '/api/v1/opportunities/export', self::query(), $user_id, Capabilities::service_caps( $user_id ), $file, self::TIMEOUT );
		if ( ! $result['ok'] ) {
			wp_delete_file( $file );
			self::fail( $result );
		}
		self::send( $file );
		wp_delete_file( $file );
		exit;
	}

	/**
	 * Stop with the reason, as the REST proxy words it: an unreachable service (503, no
	 * transport detail for the person), this site's key refused (502: not the person's
	 * login), or the service's own message and status.
	 *
	 * @param array $result ServiceClient::download()'s answer.
	 */
	private static function fail( array $result ) {
		if ( 0 === $result['status'] ) {
			$status  = 503;
			$message = __( 'The outreach service is not reachable right now; please try again in a minute.', 'almaseo-outreach' );
		} elseif ( 401 === $result['status'] ) {
			$status  = 502;
			$message = RestController::key_refused( $result['error'] );
		} else {
			$status = $result['status'];
			/* translators: %s: the service's reason */
			$message = sprintf( __( 'The export failed: %s', 'almaseo-outreach' ), $result['error'] );
		}
		wp_die(
			esc_html( $message ),
			esc_html__( 'Export failed', 'almaseo-outreach' ),
			array(
				'response'  => (int) $status,
				'back_link' => true,
			)
		);
	}

	/**
	 * The declared filters only: `q` (the search box, cut to the service's limit) and
	 * `status` (one of the service's columns).
	 *
	 * @return array
	 */
	private static function query() {
		$args  = Fields::OPERATIONS[ self::OPERATION ]['query'];
		$query = array();
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- checked in handle().
		if ( isset( $_GET['q'] ) ) {
			$q = trim( sanitize_text_field( wp_unslash( $_GET['q'] ) ) );
			if ( '' !== $q ) {
				$query['q'] = mb_substr( $q, 0, $args['q']['maxLength'] );
			}
		}
		if ( isset( $_GET['status'] ) && in_array( $_GET['status'], $args['status']['enum'], true ) ) {
			$query['status'] = sanitize_key( $_GET['status'] );
		}
		// phpcs:enable WordPress.Security.NonceVerification.Recommended
		return $query;
	}

	/**
	 * The file as an attachment, read out in chunks.
	 *
	 * @param string $file Temporary file holding the CSV.
	 */
	private static function send( $file ) {
		while ( ob_get_level() > 0 ) {
			ob_end_clean(); // An open output buffer would hold the whole file in memory again.
		}
		nocache_headers();
		header( 'Content-Type: text/csv; charset=utf-8' );
		header( 'Content-Disposition: attachment; filename="opportunities.csv"' );
		header( 'X-Content-Type-Options: nosniff' );
		header( 'Content-Length: ' . (string) filesize( $file ) );
		readfile( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_readfile -- streams the temporary file.
	}
}
