<?php
/**
 * The explicit allow-list of proxied operations: one entry per service operation, nothing else.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Route table of the REST proxy (contract sections 3, 4, 5, 7, 8, 10, 12, 13, 14).
 */
final class Routes {

	const ID = '(?P<id>\d+)';

	/**
	 * Every proxied operation: WP route, method, capability, service path, query and body args.
	 *
	 * @return array<int,array{route:string,method:string,cap:string,path:string,query:array,body:array}>
	 */
	public static function all() {
		$id   = self::ID;
		$opp  = self::opportunity_fields();
		$tpl  = self::template_fields();
		$seq  = self::sequence_fields();
		$site = self::site_fields();
		return array(
			self::board(),
			self::op( '/opportunities/bulk', 'POST', BulkAccess::CAPS, '/api/v1/opportunities/bulk', array(), BulkAccess::fields() ),
			self::op( '/opportunities', 'GET', 'view', '/api/v1/opportunities', self::list_query() ),
			self::op( '/opportunities', 'POST', 'edit', '/api/v1/opportunities', array(), self::required( $opp, 'source_url' ) ),
			self::op( "/opportunities/$id", 'GET', 'view', '/api/v1/opportunities/{id}' ),
			self::op( "/opportunities/$id", 'PATCH', 'edit', '/api/v1/opportunities/{id}', array(), $opp + array( 'position' => self::int( 0 ) ) ),
			self::op( "/opportunities/$id", 'DELETE', 'delete', '/api/v1/opportunities/{id}' ),
			self::op(
				"/opportunities/$id/move",
				'POST',
				'edit',
				'/api/v1/opportunities/{id}/move',
				array(),
				array(
					'status'   => self::status( true ),
					'position' => self::int( 0 ),
				)
			),
			self::op( "/opportunities/$id/notes", 'PUT', 'edit', '/api/v1/opportunities/{id}/notes', array(), array( 'notes' => self::str( 20000, true ) ) ),
			self::op( "/opportunities/$id/emails", 'GET', 'view', '/api/v1/opportunities/{id}/emails' ),
			self::op( "/opportunities/$id/emails", 'POST', 'send', '/api/v1/opportunities/{id}/emails', array(), self::send_fields() ),
			self::op(
				"/opportunities/$id/sequence",
				'POST',
				'send',
				'/api/v1/opportunities/{id}/sequence',
				array(),
				array(
					'sequence_id' => self::int( 1, true ),
					'to'          => self::email( true ),
				)
			),
			self::op( "/opportunities/$id/sequence", 'DELETE', 'send', '/api/v1/opportunities/{id}/sequence' ),
			self::op( "/emails/$id/replied", 'POST', 'edit', '/api/v1/emails/{id}/replied' ),
			self::op( "/emails/$id", 'DELETE', 'send', '/api/v1/emails/{id}' ),
			self::op( "/replies/$id", 'GET', 'view', '/api/v1/replies/{id}' ),
			self::op( "/replies/$id/read", 'POST', 'view', '/api/v1/replies/{id}/read' ),
			self::op( '/templates', 'GET', 'view', '/api/v1/templates' ),
			self::op( '/templates', 'POST', 'templates', '/api/v1/templates', array(), self::required( $tpl, 'name', 'subject', 'body' ) ),
			self::op( '/templates/preview', 'POST', 'view', '/api/v1/templates/preview', array(), self::preview_fields() ),
			self::op( "/templates/$id", 'GET', 'view', '/api/v1/templates/{id}' ),
			self::op( "/templates/$id", 'PATCH', 'templates', '/api/v1/templates/{id}', array(), $tpl ),
			self::op( "/templates/$id", 'DELETE', 'templates', '/api/v1/templates/{id}' ),
			self::op( '/sequences', 'GET', 'view', '/api/v1/sequences' ),
			self::op( '/sequences', 'POST', 'sequences', '/api/v1/sequences', array(), self::required( $seq, 'name', 'steps' ) ),
			self::op( "/sequences/$id", 'GET', 'view', '/api/v1/sequences/{id}' ),
			self::op( "/sequences/$id", 'PATCH', 'sequences', '/api/v1/sequences/{id}', array(), $seq ),
			self::op( "/sequences/$id", 'DELETE', 'sequences', '/api/v1/sequences/{id}' ),
			self::op( '/metrics', 'GET', 'view', '/api/v1/metrics', self::period() + self::pitch() ),
			self::op( '/metrics/daily', 'GET', 'view', '/api/v1/metrics/daily', self::period() ),
			self::op( '/metrics/templates', 'GET', 'view', '/api/v1/metrics/templates', self::period() ),
			self::op( '/metrics/sequences', 'GET', 'view', '/api/v1/metrics/sequences', self::period() ),
			self::import_op(),
			self::op( '/audit', 'GET', 'settings', '/api/v1/audit', self::audit_query() ) + array( 'user_names' => true ),
			self::link_check(),
			self::op( "/opportunities/$id/link-checks", 'GET', 'view', '/api/v1/opportunities/{id}/link-checks' ),
			self::op(
				'/backlinks',
				'GET',
				'view',
				'/api/v1/backlinks',
				array(
					'status'    => self::str( 16 ),
					'page'      => self::int( 1 ),
					'page_size' => self::int( 1 ) + array( 'maximum' => 500 ),
				)
			),
			self::op( '/backlinks', 'POST', 'edit', '/api/v1/backlinks', array(), array( 'backlinks' => self::backlinks( true ) ) ),
			self::op( "/backlinks/$id", 'DELETE', 'edit', '/api/v1/backlinks/{id}' ),
			self::op( '/site', 'GET', 'settings', '/api/v1/site' ),
			self::op( '/site', 'PATCH', 'settings', '/api/v1/site', array(), $site ),
			self::op( '/suppressions', 'GET', 'settings', '/api/v1/suppressions', self::suppression_query() ),
			self::op( '/suppressions', 'POST', 'settings', '/api/v1/suppressions', array(), self::suppression_fields() ),
			self::op( "/suppressions/$id", 'DELETE', 'settings', '/api/v1/suppressions/{id}' ),
		);
	}

	/**
	 * The board: `q`, `since` (a delta cursor), and If-None-Match passed on for a 304.
	 *
	 * @return array
	 */
	private static function board() {
		$query                 = array(
			'q'     => self::str( 200 ),
			'since' => self::str( 100 ),
		);
		$board                 = self::op( '/board', 'GET', 'view', '/api/v1/board', $query );
		$board['pass_headers'] = array( 'If-None-Match' );
		return $board;
	}

	/**
	 * Check a card's link now: the service may take 20 s, so the call may take 25.
	 *
	 * @return array
	 */
	private static function link_check() {
		$check            = self::op( '/opportunities/' . self::ID . '/link-check', 'POST', 'edit', '/api/v1/opportunities/{id}/link-check' );
		$check['timeout'] = 25;
		return $check;
	}

	/**
	 * Backlinks to watch: up to 1,000 of {source_url, target_url, anchor_text}.
	 *
	 * @param bool $required Required.
	 * @return array
	 */
	private static function backlinks( $required ) {
		return array(
			'type'     => 'array',
			'required' => $required,
			'minItems' => 1,
			'maxItems' => 1000,
			'items'    => array(
				'type'                 => 'object',
				'additionalProperties' => false,
				'properties'           => array(
					'source_url'  => self::url( false ) + array( 'required' => true ),
					'target_url'  => self::url( true ),
					'anchor_text' => self::str( 500, false, true ),
				),
			),
		);
	}

	/**
	 * CSV import (contract section 13): the raw text/csv body is forwarded as it came.
	 *
	 * @return array
	 */
	private static function import_op() {
		$query = array(
			'dry_run'      => array( 'type' => 'boolean' ),
			'status'       => self::status(),
			'on_duplicate' => array(
				'type' => 'string',
				'enum' => array( 'skip', 'update' ),
			),
			'line_offset'  => self::int( 0 ),
		);
		return self::op( '/opportunities/import', 'POST', 'edit', '/api/v1/opportunities/import', $query ) + array( 'csv_body' => true );
	}

	/**
	 * A metrics period: `from` and `to` (dates or datetimes, checked by the service).
	 *
	 * @return array
	 */
	private static function period() {
		return array(
			'from' => self::str( 40 ),
			'to'   => self::str( 40 ),
		);
	}

	/**
	 * One template or sequence of the metrics.
	 *
	 * @return array
	 */
	private static function pitch() {
		return array(
			'template_id' => self::int( 1 ),
			'sequence_id' => self::int( 1 ),
		);
	}

	/**
	 * Query of the audit trail.
	 *
	 * @return array
	 */
	private static function audit_query() {
		return array(
			'page'           => self::int( 1 ),
			'page_size'      => self::int( 1 ) + array( 'maximum' => 200 ),
			'opportunity_id' => self::int( 1 ),
		);
	}

	/**
	 * One operation.
	 *
	 * @param string $route  WP route (regex for ids).
	 * @param string $method HTTP method.
	 * @param string|array $cap Short capability name, or action => capability (BulkAccess).
	 * @param string $path   Service path ({id} filled from the route).
	 * @param array  $query  Query arg schemas.
	 * @param array  $body   Body arg schemas.
	 * @return array
	 */
	private static function op( $route, $method, $cap, $path, array $query = array(), array $body = array() ) {
		return array(
			'route'  => $route,
			'method' => $method,
			'cap'    => $cap,
			'path'   => $path,
			'query'  => $query,
			'body'   => $body,
		);
	}

	/**
	 * Mark some fields required.
	 *
	 * @param array  $fields    Arg schemas.
	 * @param string ...$names Required names.
	 * @return array
	 */
	private static function required( array $fields, ...$names ) {
		foreach ( $names as $name ) {
			$fields[ $name ]['required'] = true;
		}
		return $fields;
	}

	/**
	 * A string arg.
	 *
	 * @param int  $max      Max length.
	 * @param bool $required Required.
	 * @param bool $nullable Null allowed.
	 * @return array
	 */
	private static function str( $max, $required = false, $nullable = false ) {
		return array(
			'type'      => $nullable ? array( 'string', 'null' ) : 'string',
			'maxLength' => $max,
			'required'  => $required,
		);
	}

	/**
	 * An integer arg.
	 *
	 * @param int  $min      Minimum.
	 * @param bool $required Required.
	 * @return array
	 */
	private static function int( $min, $required = false ) {
		return array(
			'type'     => 'integer',
			'minimum'  => $min,
			'required' => $required,
		);
	}

	/**
	 * A URL arg (http or https, checked again by the service).
	 *
	 * @param bool $nullable Null allowed.
	 * @return array
	 */
	private static function url( $nullable ) {
		return array(
			'type'      => $nullable ? array( 'string', 'null' ) : 'string',
			'format'    => 'uri',
			'maxLength' => 2000,
		);
	}

	/**
	 * An email arg.
	 *
	 * @param bool $required Required.
	 * @param bool $nullable Null allowed.
	 * @return array
	 */
	private static function email( $required = false, $nullable = false ) {
		return array(
			'type'      => $nullable ? array( 'string', 'null' ) : 'string',
			'format'    => 'email',
			'maxLength' => 320,
			'required'  => $required,
		);
	}

	/**
	 * A column name.
	 *
	 * @param bool $required Required.
	 * @return array
	 */
	private static function status( $required = false ) {
		return array(
			'type'     => 'string',
			'enum'     => array( 'new', 'queued', 'reached', 'won' ),
			'required' => $required,
		);
	}

	/**
	 * Query of the paginated list.
	 *
	 * @return array
	 */
	private static function list_query() {
		return array(
			'status'     => self::status(),
			'q'          => self::str( 200 ),
			'page'       => self::int( 1 ),
			'page_size'  => self::int( 1 ) + array( 'maximum' => 500 ),
			'source_url' => self::str( 2000 ),
		);
	}

	/**
	 * Writable opportunity fields.
	 *
	 * @return array
	 */
	private static function opportunity_fields() {
		return array(
			'status'        => self::status(),
			'source_url'    => self::url( false ),
			'target_url'    => self::url( true ),
			'anchor_text'   => self::str( 500, false, true ),
			'contact_email' => self::email( false, true ),
			'contact_name'  => self::str( 200, false, true ),
			'lost_link'     => array( 'type' => 'boolean' ),
			'notes'         => self::str( 20000 ),
		);
	}

	/**
	 * Template fields.
	 *
	 * @return array
	 */
	private static function template_fields() {
		return array(
			'name'    => self::str( 200 ),
			'subject' => self::str( 998 ),
			'body'    => self::str( 100000 ),
		);
	}

	/**
	 * Preview request fields.
	 *
	 * @return array
	 */
	private static function preview_fields() {
		return array(
			'template_id'    => array( 'type' => array( 'integer', 'null' ) ),
			'subject'        => self::str( 998, false, true ),
			'body'           => self::str( 100000, false, true ),
			'opportunity_id' => array( 'type' => array( 'integer', 'null' ) ),
		);
	}

	/**
	 * Send request fields: a template or a custom subject and body.
	 *
	 * @return array
	 */
	private static function send_fields() {
		return array(
			'to'             => self::email( true ),
			'template_id'    => array( 'type' => array( 'integer', 'null' ) ),
			'subject'        => self::str( 998, false, true ),
			'body'           => self::str( 100000, false, true ),
			'send_at'        => self::str( 40, false, true ),
			'at_next_window' => array( 'type' => 'boolean' ),
		);
	}

	/**
	 * Sequence fields with their ordered steps.
	 *
	 * @return array
	 */
	private static function sequence_fields() {
		$step = array(
			'type'                 => 'object',
			'additionalProperties' => false,
			'properties'           => array(
				'template_id'   => array(
					'type'     => 'integer',
					'required' => true,
				),
				'delay_hours'   => array(
					'type'    => 'number',
					'minimum' => 0,
				),
				'stop_on_reply' => array( 'type' => 'boolean' ),
				'stop_on_click' => array( 'type' => 'boolean' ),
				'stop_on_open'  => array( 'type' => 'boolean' ),
				'thread'        => array(
					'type' => 'string',
					'enum' => array( 'reply', 'new' ),
				),
			),
		);
		return array(
			'name'  => self::str( 200 ),
			'steps' => array(
				'type'     => 'array',
				'maxItems' => 50,
				'items'    => $step,
			),
		);
	}

	/**
	 * The site's settings (contract section 5).
	 *
	 * @return array
	 */
	private static function site_fields() {
		return array(
			'name'             => self::str( 200 ),
			'daily_limit'      => self::int( 0 ),
			'cooldown_hours'   => array(
				'type'    => 'number',
				'minimum' => 0,
			),
			'from_email'       => self::email( false, true ),
			'from_name'        => self::str( 200, false, true ),
			'reply_to'         => self::email( false, true ),
			'reply_forward_to' => self::email( false, true ),
			'timezone'         => self::str( 64 ),
		) + self::link_settings() + self::deliverability_fields();
	}

	/**
	 * Link monitoring settings (contract section 10): hours ≥ 0, fractions allowed.
	 *
	 * @return array
	 */
	private static function link_settings() {
		$hours = array(
			'type'    => 'number',
			'minimum' => 0,
		);
		return array(
			'link_check_reached_hours' => $hours,
			'link_check_won_hours'     => $hours,
			'link_lost_after'          => self::int( 0 ),
			'link_retry_hours'         => $hours,
		);
	}

	/**
	 * The site's deliverability settings (contract section 12).
	 *
	 * @return array
	 */
	private static function deliverability_fields() {
		$clock = array(
			'type'    => 'string',
			'pattern' => '^([01][0-9]|2[0-3]):[0-5][0-9]$',
		);
		return array(
			'unsubscribe_footer'   => array( 'type' => 'boolean' ),
			'send_window'          => array(
				'type'                 => 'object',
				'additionalProperties' => false,
				'properties'           => array(
					'enabled' => array( 'type' => 'boolean' ),
					'days'    => array(
						'type'     => 'array',
						'maxItems' => 7,
						'items'    => array(
							'type'    => 'integer',
							'minimum' => 1,
							'maximum' => 7,
						),
					),
					'start'   => $clock,
					'end'     => $clock,
				),
			),
			'bounce_brake_percent' => self::int( 0 ) + array( 'maximum' => 100 ),
			'domain_daily_limit'   => self::int( 0 ),
			'paused'               => array( 'type' => 'boolean' ),
		);
	}

	/**
	 * Query of the do-not-contact list.
	 *
	 * @return array
	 */
	private static function suppression_query() {
		return array(
			'q'         => self::str( 200 ),
			'page'      => self::int( 1 ),
			'page_size' => self::int( 1 ) + array( 'maximum' => 500 ),
		);
	}

	/**
	 * A new do-not-contact entry: an address or a domain.
	 *
	 * @return array
	 */
	private static function suppression_fields() {
		return array(
			'value'  => self::str( 320, true ),
			'reason' => array(
				'type' => 'string',
				'enum' => array( 'bounce', 'spamreport', 'unsubscribe', 'manual' ),
			),
			'note'   => self::str( 1000, false, true ),
		);
	}
}
