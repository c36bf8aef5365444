<?php
/**
 * Bulk actions (contract section 13): one route, the capability of the action asked for.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Argument schema and permission check of POST /opportunities/bulk.
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

	/**
	 * Body arguments: at most 500 ids, the action and what it needs.
	 *
	 * @return array
	 */
	public static function fields() {
		return array(
			'ids'         => array(
				'type'     => 'array',
				'required' => true,
				'minItems' => 1,
				'maxItems' => 500,
				'items'    => array(
					'type'    => 'integer',
					'minimum' => 1,
				),
			),
			'action'      => array(
				'type'     => 'string',
				'enum'     => array_keys( self::CAPS ),
				'required' => true,
			),
			'status'      => array(
				'type' => 'string',
				'enum' => array( 'new', 'queued', 'reached', 'won' ),
			),
			'sequence_id' => array(
				'type'    => 'integer',
				'minimum' => 1,
			),
			'to'          => array(
				'type'      => array( 'string', 'null' ),
				'format'    => 'email',
				'maxLength' => 320,
			),
		);
	}
}
