<?php
/**
 * Signed HTTP calls to the outreach service through the WordPress HTTP API.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * One signed request = one call to request(); the answer is a plain array, never an exception.
 */
final class ServiceClient {

	const TIMEOUT = 15;

	/**
	 * Service base URL without trailing slash.
	 *
	 * @var string
	 */
	private $base_url;

	/**
	 * Signer of the configured key.
	 *
	 * @var Signer
	 */
	private $signer;

	/**
	 * Create a client.
	 *
	 * @param string $base_url Service base URL.
	 * @param Signer $signer   Signer.
	 */
	public function __construct( $base_url, Signer $signer ) {
		$this->base_url = untrailingslashit( $base_url );
		$this->signer   = $signer;
	}

	/**
	 * A client from the settings, or null when the connection is not configured.
	 *
	 * @return self|null
	 */
	public static function from_settings() {
		if ( ! Settings::is_configured() ) {
			return null;
		}
		return new self( Settings::url(), new Signer( Settings::get( 'key_id' ), Settings::get( 'secret' ) ) );
	}

	/**
	 * Encode a query the same way for the URL and the signature (RFC 3986).
	 *
	 * @param array $query Parameters.
	 * @return string
	 */
	public static function encode_query( array $query ) {
		$query = array_filter(
			$query,
			static function ( $v ) {
				return null !== $v && '' !== $v;
			}
		);
		return http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
	}

	/**
	 * Send one signed request.
	 *
	 * @param string     $method  HTTP method.
	 * @param string     $path    Service path, e.g. /api/v1/board.
	 * @param array      $query   Query parameters.
	 * @param array|string|null $body JSON body, or raw text/csv (a string), or null for none.
	 * @param int        $user_id Acting WordPress user id.
	 * @param string[]   $caps    Service caps of that user.
	 * @param array      $extra   More request headers (If-None-Match), never the signed ones.
	 * @param int        $timeout Seconds the call may take (a link check needs more).
	 * @return array{ok:bool,status:int,data:mixed,headers:array,error:string}
	 */
	public function request( $method, $path, array $query, $body, $user_id, array $caps, array $extra = array(), $timeout = self::TIMEOUT ) {
		$csv                   = is_string( $body );
		$raw                   = $csv ? $body : ( null === $body ? '' : wp_json_encode( (object) $body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
		list( $url, $headers ) = $this->signed( $method, $path, $query, $raw, $user_id, $caps );

		$headers           = $extra + $headers;
		$headers['Accept'] = 'application/json';
		if ( '' !== $raw ) {
			$headers['Content-Type'] = $csv ? 'text/csv' : 'application/json';
		}
		$response = wp_remote_request(
			$url,
			array(
				'method'      => strtoupper( $method ),
				'headers'     => $headers,
				'body'        => '' === $raw ? null : $raw,
				'timeout'     => $csv ? max( 2 * self::TIMEOUT, $timeout ) : $timeout,
				'redirection' => 0,
				'httpversion' => '1.1',
				'user-agent'  => self::user_agent(),
			)
		);
		return self::result( $response );
	}

	/**
	 * The URL of a call and its signed headers (the signature covers the service's path
	 * under the configured base URL, the query as sent and the body).
	 *
	 * @param string   $method  HTTP method.
	 * @param string   $path    Service path.
	 * @param array    $query   Query parameters.
	 * @param string   $raw     Body as sent ('' for none).
	 * @param int      $user_id Acting WordPress user.
	 * @param string[] $caps    Service caps of that user.
	 * @return array{0:string,1:array}
	 */
	private function signed( $method, $path, array $query, $raw, $user_id, array $caps ) {
		$base_path = (string) wp_parse_url( $this->base_url, PHP_URL_PATH );
		$qs        = self::encode_query( $query );
		$headers   = $this->signer->headers( $method, rtrim( $base_path, '/' ) . $path, $qs, $raw, $user_id, $caps );
		return array( $this->base_url . $path . ( '' === $qs ? '' : '?' . $qs ), $headers );
	}

	/**
	 * The User-Agent of the bridge's calls.
	 *
	 * @return string
	 */
	private static function user_agent() {
		return 'almaseo-outreach-wp/' . ( defined( 'ALMASEO_OUTREACH_VERSION' ) ? ALMASEO_OUTREACH_VERSION : 'dev' );
	}

	/**
	 * A signed GET whose answer goes straight to a file (constant memory: exports).
	 *
	 * @param string $path     Service path.
	 * @param array  $query    Query parameters.
	 * @param int    $user_id  Acting WordPress user.
	 * @param array  $caps     Service capabilities.
	 * @param string $filename Where the answer's body is written.
	 * @param int    $timeout  Seconds.
	 * @return array{ok:bool,status:int,error:string}
	 */
	public function download( $path, array $query, $user_id, array $caps, $filename, $timeout ) {
		list( $url, $headers ) = $this->signed( 'GET', $path, $query, '', $user_id, $caps );
		$response              = wp_remote_get(
			$url,
			array(
				'headers'     => $headers,
				'timeout'     => $timeout,
				'redirection' => 0,
				'stream'      => true,
				'filename'    => $filename,
				'user-agent'  => self::user_agent(),
			)
		);
		if ( is_wp_error( $response ) ) {
			return array(
				'ok'     => false,
				'status' => 0,
				'error'  => $response->get_error_message(),
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$error  = '';
		if ( 200 !== $status ) {
			// An error answer is a short JSON object: read only its head for the message.
			$head  = (string) file_get_contents( $filename, false, null, 0, 65536 ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local temporary file.
			$data  = json_decode( $head, true );
			$error = is_array( $data ) && isset( $data['message'] ) ? (string) $data['message'] : 'HTTP ' . $status;
		}
		return array(
			'ok'     => 200 === $status,
			'status' => $status,
			'error'  => $error,
		);
	}

	/**
	 * Unsigned GET of a public path (/healthz).
	 *
	 * @param string $path Path.
	 * @return array{ok:bool,status:int,data:mixed,headers:array,error:string}
	 */
	public function get_public( $path ) {
		$response = wp_remote_get(
			$this->base_url . $path,
			array(
				'timeout'     => 5,
				'redirection' => 0,
			)
		);
		return self::result( $response );
	}

	/**
	 * Normalise a wp_remote_* answer.
	 *
	 * @param array|\WP_Error $response Raw answer.
	 * @return array{ok:bool,status:int,data:mixed,headers:array,error:string}
	 */
	private static function result( $response ) {
		if ( is_wp_error( $response ) ) {
			return array(
				'ok'      => false,
				'status'  => 0,
				'data'    => null,
				'headers' => array(),
				'error'   => $response->get_error_message(),
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$raw    = (string) wp_remote_retrieve_body( $response );
		$data   = '' === $raw ? null : json_decode( $raw, true );
		$error  = '';
		if ( '' !== $raw && null === $data && JSON_ERROR_NONE !== json_last_error() ) {
			$error = 'The service answered something that is not JSON.';
		}
		$headers = array();
		foreach ( array( 'Retry-After', 'ETag' ) as $name ) {
			$value = wp_remote_retrieve_header( $response, strtolower( $name ) );
			if ( '' !== $value && null !== $value ) {
				$headers[ $name ] = is_array( $value ) ? (string) reset( $value ) : (string) $value;
			}
		}
		return array(
			'ok'      => $status >= 200 && $status < 300 && '' === $error,
			'status'  => $status,
			'data'    => $data,
			'headers' => $headers,
			'error'   => $error,
		);
	}
}
