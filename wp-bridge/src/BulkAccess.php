<?php
/**
 * Bulk actions (docs/api.md): one route, the capability of the action asked for.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Permission check of POST /opportunities/bulk (its arguments: Generated\Fields).
 */
final class BulkAccess {

	/**
	 * Each bulk action and the capability it needs (the same as the single-card operation).
	 */
	const CAPS = array(
		'move'            => 'edit',
		'delete'          => 'delete',
		'stop_sequence'   => 'send',
		'assign_sequence' => 'send',
		'assign_project'  => 'edit',
	);

	/**
	 * Whether the current user may run the requested action (unknown actions: no).
	 *
	 * @param array            $caps    Action => short capability.
	 * @param \WP_REST_Request $request Request.
	 * @return bool
	 */
	public static function allowed( array $caps, \WP_REST_Request $request ) {
		$action = $request->get_param( 'action' );
		if ( ! is_string( $action ) || ! isset( $caps[ $action ] ) ) {
			return Capabilities::can( 'edit' ) && Capabilities::can( 'delete' ) && Capabilities::can( 'send' );
		}
		return Capabilities::can( $caps[ $action ] );
	}
}
