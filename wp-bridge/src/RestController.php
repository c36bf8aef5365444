<?php
/**
 * REST proxy under almaseo-outreach/v1: checks the WP capability, validates, signs, forwards.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the allow-listed routes of Routes::all() and forwards each call to the service.
 */
final class RestController {

	const NAMESPACE_V1 = 'almaseo-outreach/v1';

	/**
	 * Register every route (hooked on rest_api_init).
	 */
	public static function register_routes() {
		$grouped = array();
		foreach ( Routes::all() as $op ) {
			$grouped[ $op['route'] ][] = $op;
		}
		foreach ( $grouped as $route => $ops ) {
			$endpoints = array();
			foreach ( $ops as $op ) {
				$endpoints[] = array(
					'methods'             => $op['method'],
					'callback'            => static function ( \WP_REST_Request $request ) use ( $op ) {
						return self::forward( $op, $request );
					},
					'permission_callback' => static function ( \WP_REST_Request $request ) use ( $op ) {
						return is_array( $op['cap'] ) ? BulkAccess::allowed( $op['cap'], $request ) : Capabilities::can( $op['cap'] );
					},
					'args'                => self::args( $op ),
				);
			}
			register_rest_route( self::NAMESPACE_V1, $route, $endpoints );
		}
	}

	/**
	 * WP arg schemas of one operation (the id from the route is an integer).
	 *
	 * @param array $op Operation.
	 * @return array
	 */
	private static function args( array $op ) {
		$args = $op['query'] + $op['body'];
		if ( false !== strpos( $op['route'], '(?P<id>' ) ) {
			$args['id'] = array(
				'type'     => 'integer',
				'minimum'  => 1,
				'required' => true,
			);
		}
		if ( false !== strpos( $op['route'], '(?P<sub_id>' ) ) {
			$args['sub_id'] = $args['id'];
		}
		return $args;
	}

	/**
	 * Forward one validated request to the service and shape the answer for the browser.
	 *
	 * @param array            $op      Operation.
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response
	 */
	public static function forward( array $op, \WP_REST_Request $request ) {
		$client = ServiceClient::from_settings();
		if ( null === $client ) {
			return self::error( 503, __( 'The outreach service is not configured yet. An administrator can set it up under Outreach → Settings.', 'almaseo-outreach' ) );
		}
		$path  = str_replace( '{id}', (string) (int) $request->get_param( 'id' ), $op['path'] );
		$path  = str_replace( '{sub_id}', (string) (int) $request->get_param( 'sub_id' ), $path );
		$query = self::pick( $op['query'], $request->get_query_params() );
		$body  = null;
		if ( ! empty( $op['csv_body'] ) ) {
			$body = (string) $request->get_body(); // Forwarded as sent: the service parses and signs over it.
		} elseif ( ! empty( $op['body'] ) || in_array( $op['method'], array( 'POST', 'PUT', 'PATCH' ), true ) ) {
			$sent = $request->get_json_params();
			if ( ! is_array( $sent ) ) {
				$sent = $request->get_body_params();
			}
			$body = self::pick( $op['body'], is_array( $sent ) ? $sent : array() );
		}
		$user_id = get_current_user_id();
		$headers = array();
		foreach ( isset( $op['pass_headers'] ) ? $op['pass_headers'] : array() as $name ) {
			$value = $request->get_header( $name );
			if ( is_string( $value ) && '' !== $value && strlen( $value ) <= 200 ) {
				$headers[ $name ] = $value;
			}
		}
		$timeout = isset( $op['timeout'] ) ? $op['timeout'] : ServiceClient::TIMEOUT;
		$result  = $client->request( $op['method'], $path, $query, $body, $user_id, Capabilities::service_caps( $user_id ), $headers, $timeout );
		if ( $result['ok'] && ! empty( $op['user_names'] ) ) {
			$result['data'] = UserNames::resolve( $result['data'] );
		}
		return self::respond( $result, 'GET' !== $op['method'] );
	}

	/**
	 * Keep only the declared parameters (never forward anything unknown).
	 *
	 * @param array $declared Declared arg schemas.
	 * @param array $given    Given values (already validated and sanitized by WP).
	 * @return array
	 */
	private static function pick( array $declared, array $given ) {
		return array_intersect_key( $given, $declared );
	}

	/**
	 * Shape a service answer: success as is, errors with their status and message.
	 *
	 * @param array $result  ServiceClient result.
	 * @param bool  $writing Whether the call would have changed something.
	 * @return \WP_REST_Response
	 */
	public static function respond( array $result, $writing = true ) {
		if ( 0 === $result['status'] ) {
			// Why: "Nothing was saved" only where something was being saved; the transport
			// detail ("cURL error 7") belongs to Test connection on the settings screen.
			$message = $writing
				? __( 'The outreach service is not reachable right now. Nothing was saved; please try again in a minute.', 'almaseo-outreach' )
				: __( 'The outreach service is not reachable right now; the board will load again as soon as it answers.', 'almaseo-outreach' );
			if ( Capabilities::can( 'settings' ) ) {
				$message .= ' ' . __( 'Outreach → Settings → Test connection says why.', 'almaseo-outreach' );
			}
			return self::error( 503, $message );
		}
		if ( 304 === $result['status'] ) {
			$response = new \WP_REST_Response( null, 304 );
			foreach ( $result['headers'] as $name => $value ) {
				$response->header( $name, $value );
			}
			return $response;
		}
		if ( '' !== $result['error'] ) {
			return self::error( 502, __( 'The outreach service gave an answer that could not be read.', 'almaseo-outreach' ) );
		}
		if ( 401 === $result['status'] ) {
			// Why: a 401 here means this site's key is wrong, not the person's login; say so.
			$detail = is_array( $result['data'] ) && isset( $result['data']['message'] ) ? (string) $result['data']['message'] : '';
			return self::error( 502, self::key_refused( $detail ) );
		}
		$response = new \WP_REST_Response( $result['data'], $result['status'] );
		foreach ( $result['headers'] as $name => $value ) {
			$response->header( $name, $value );
		}
		if ( ! $result['ok'] && ! is_array( $result['data'] ) ) {
			/* translators: %d: HTTP status code */
			return self::error( $result['status'], sprintf( __( 'The outreach service answered with status %d.', 'almaseo-outreach' ), $result['status'] ) );
		}
		return $response;
	}

	/**
	 * What a person reads when the service refuses this site's key (its 401): a setup
	 * problem for an administrator, not the person's login (so 502, never 401).
	 *
	 * @param string $detail The service's reason.
	 * @return string
	 */
	public static function key_refused( $detail ) {
		/* translators: %s: the service's reason */
		return sprintf( __( 'The outreach service refused this site\'s key (%s). An administrator should check Outreach → Settings.', 'almaseo-outreach' ), $detail );
	}

	/**
	 * An error in the service's own shape, so the page handles one format.
	 *
	 * @param int    $status  HTTP status.
	 * @param string $message One sentence for a person.
	 * @return \WP_REST_Response
	 */
	public static function error( $status, $message ) {
		return new \WP_REST_Response(
			array(
				'code'    => $status,
				'status'  => get_status_header_desc( $status ),
				'message' => $message,
			),
			$status
		);
	}
}
