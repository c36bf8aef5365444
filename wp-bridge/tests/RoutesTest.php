<?php
/**
 * The proxy's route table is an explicit allow-list that mirrors the contract one by one.
 *
 * @package AlmaSEO\Outreach
 */

use AlmaSEO\Outreach\Capabilities;
use AlmaSEO\Outreach\Routes;
use PHPUnit\Framework\TestCase;

/**
 * Route table tests (pure data: no WordPress needed).
 */
final class RoutesTest extends TestCase {

	/**
	 * Service operations of docs/api.md and schemas/openapi.json with the capability each needs.
	 */
	const CONTRACT = array(
		'GET /api/v1/board'                            => 'view',
		'GET /api/v1/projects'                         => 'view',
		'POST /api/v1/projects'                        => 'edit',
		'GET /api/v1/projects/{id}'                    => 'view',
		'PATCH /api/v1/projects/{id}'                  => 'edit',
		'DELETE /api/v1/projects/{id}'                 => 'edit',
		'GET /api/v1/projects/{id}/report'             => 'view',
		'GET /api/v1/projects/{id}/shares'             => 'view',
		'POST /api/v1/projects/{id}/shares'            => 'edit',
		'DELETE /api/v1/projects/{id}/shares/{sub_id}' => 'edit',
		'GET /api/v1/opportunities'                    => 'view',
		'POST /api/v1/opportunities'                   => 'edit',
		'GET /api/v1/opportunities/{id}'               => 'view',
		'PATCH /api/v1/opportunities/{id}'             => 'edit',
		'DELETE /api/v1/opportunities/{id}'            => 'delete',
		'POST /api/v1/opportunities/{id}/move'         => 'edit',
		'PUT /api/v1/opportunities/{id}/notes'         => 'edit',
		'GET /api/v1/opportunities/{id}/emails'        => 'view',
		'POST /api/v1/opportunities/{id}/emails'       => 'send',
		'POST /api/v1/emails/{id}/replied'             => 'edit',
		'DELETE /api/v1/emails/{id}'                   => 'send',
		'GET /api/v1/replies'                          => 'view',
		'GET /api/v1/replies/{id}'                     => 'view',
		'PATCH /api/v1/replies/{id}'                   => 'edit',
		'POST /api/v1/replies/{id}/use-contact'        => 'edit',
		'POST /api/v1/replies/{id}/read'               => 'view',
		'GET /api/v1/templates'                        => 'view',
		'POST /api/v1/templates'                       => 'templates',
		'GET /api/v1/templates/{id}'                   => 'view',
		'PATCH /api/v1/templates/{id}'                 => 'templates',
		'DELETE /api/v1/templates/{id}'                => 'templates',
		'POST /api/v1/templates/preview'               => 'view',
		'GET /api/v1/sequences'                        => 'view',
		'POST /api/v1/sequences'                       => 'sequences',
		'GET /api/v1/sequences/{id}'                   => 'view',
		'PATCH /api/v1/sequences/{id}'                 => 'sequences',
		'DELETE /api/v1/sequences/{id}'                => 'sequences',
		'GET /api/v1/sequences/{id}/experiments'       => 'view',
		'POST /api/v1/opportunities/{id}/sequence'     => 'send',
		'DELETE /api/v1/opportunities/{id}/sequence'   => 'send',
		'GET /api/v1/metrics'                          => 'view',
		'GET /api/v1/metrics/daily'                    => 'view',
		'GET /api/v1/metrics/templates'                => 'view',
		'GET /api/v1/metrics/sequences'                => 'view',
		'POST /api/v1/opportunities/import'            => 'edit',
		'GET /api/v1/audit'                            => 'settings',
		'GET /api/v1/activity'                         => 'settings',
		'GET /api/v1/site'                             => 'settings',
		'PATCH /api/v1/site'                           => 'settings',
		'POST /api/v1/opportunities/{id}/link-check'   => 'edit',
		'GET /api/v1/opportunities/{id}/link-checks'   => 'view',
		'GET /api/v1/backlinks'                        => 'view',
		'POST /api/v1/backlinks'                       => 'edit',
		'DELETE /api/v1/backlinks/{id}'                => 'edit',
		'GET /api/v1/suppressions'                     => 'settings',
		'POST /api/v1/suppressions'                    => 'settings',
		'DELETE /api/v1/suppressions/{id}'             => 'settings',
		'GET /api/v1/sender-domains'                   => 'settings',
		'POST /api/v1/sender-domains'                  => 'settings',
		'DELETE /api/v1/sender-domains/{id}'           => 'settings',
		'POST /api/v1/sender-domains/{id}/verify'      => 'settings',
		'GET /api/v1/views'                            => 'view',
		'POST /api/v1/views'                           => 'view',
		'DELETE /api/v1/views/{id}'                    => 'view',
		'GET /api/v1/webhooks'                         => 'settings',
		'POST /api/v1/webhooks'                        => 'settings',
		'GET /api/v1/webhooks/{id}'                    => 'settings',
		'PATCH /api/v1/webhooks/{id}'                  => 'settings',
		'DELETE /api/v1/webhooks/{id}'                 => 'settings',
		'GET /api/v1/webhooks/{id}/deliveries'         => 'settings',
		'POST /api/v1/webhooks/{id}/test'              => 'settings',
		'GET /api/v1/mailboxes'                        => 'settings',
		'POST /api/v1/mailboxes'                       => 'settings',
		'GET /api/v1/mailboxes/{id}'                   => 'settings',
		'PATCH /api/v1/mailboxes/{id}'                 => 'settings',
		'DELETE /api/v1/mailboxes/{id}'                => 'settings',
		'POST /api/v1/mailboxes/{id}/test'             => 'settings',
		'POST /api/v1/mailboxes/oauth/start'           => 'settings',
		'POST /api/v1/mailboxes/oauth/finish'          => 'settings',
		'POST /api/v1/opportunities/bulk'              => array(
			'move'            => 'edit',
			'delete'          => 'delete',
			'stop_sequence'   => 'send',
			'assign_sequence' => 'send',
			'assign_project'  => 'edit',
		),
	);

	/**
	 * Exactly the contract's operations, each with the contract's capability.
	 */
	public function test_operations_match_the_contract() {
		$table = array();
		foreach ( Routes::all() as $op ) {
			$key = $op['method'] . ' ' . $op['path'];
			$this->assertArrayNotHasKey( $key, $table, "duplicate $key" );
			$table[ $key ] = $op['cap'];
		}
		ksort( $table );
		$expected = self::CONTRACT;
		ksort( $expected );
		$this->assertSame( $expected, $table );
	}

	/**
	 * No route can carry a free path; ids are digits only and fill {id}.
	 */
	public function test_no_generic_pass_through() {
		foreach ( Routes::all() as $op ) {
			foreach ( (array) $op['cap'] as $cap ) {
				$this->assertContains( $cap, Capabilities::NAMES );
			}
			$this->assertStringStartsWith( '/api/v1/', $op['path'] );
			$without_id = str_replace( array( Routes::ID, Routes::SUB_ID ), '', $op['route'] );
			$this->assertMatchesRegularExpression( '#^[a-z/-]+$#', $without_id, $op['route'] );
			$this->assertSame( false !== strpos( $op['route'], Routes::ID ), false !== strpos( $op['path'], '{id}' ) );
			$this->assertSame( false !== strpos( $op['route'], Routes::SUB_ID ), false !== strpos( $op['path'], '{sub_id}' ) );
		}
	}

	/**
	 * Only the board passes a request header on, and only If-None-Match (for a 304).
	 */
	public function test_only_the_board_passes_if_none_match() {
		foreach ( Routes::all() as $op ) {
			$expected = 'GET' === $op['method'] && '/api/v1/board' === $op['path'] ? array( 'If-None-Match' ) : array();
			$this->assertSame( $expected, isset( $op['pass_headers'] ) ? $op['pass_headers'] : array(), $op['route'] );
		}
	}

	/**
	 * Bulk takes at most 500 ids and one of the contract's five actions (assign_project: docs/api.md §19).
	 */
	public function test_bulk_body() {
		$bulk = $this->find( 'POST', '/api/v1/opportunities/bulk' );
		$this->assertSame( 500, $bulk['body']['ids']['maxItems'] );
		$this->assertSame( array( 'move', 'delete', 'stop_sequence', 'assign_sequence', 'assign_project' ), $bulk['body']['action']['enum'] );
		$this->assertTrue( $bulk['body']['action']['required'] );
	}

	/**
	 * Writes declare their body fields (the controller forwards only declared ones).
	 */
	public function test_bodies_are_declared() {
		foreach ( Routes::all() as $op ) {
			if ( 'GET' === $op['method'] || 'DELETE' === $op['method'] ) {
				$this->assertSame( array(), $op['body'], $op['route'] );
			}
		}
		$send = $this->find( 'POST', '/api/v1/opportunities/{id}/emails' );
		// The fields, in any order (they come from schemas/openapi.json, sorted by name).
		$this->assertEqualsCanonicalizing( array( 'to', 'template_id', 'subject', 'body', 'send_at', 'at_next_window', 'when', 'rotate_template_ids' ), array_keys( $send['body'] ) );
		$this->assertTrue( $send['body']['to']['required'] );
		$steps = $this->find( 'POST', '/api/v1/sequences' )['body']['steps'];
		$this->assertFalse( $steps['items']['additionalProperties'] );
	}

	/**
	 * A link check may take the service 20 s: its call may take 25; watching takes ≤ 1,000.
	 */
	public function test_link_check_timeout_and_backlinks_body() {
		$this->assertSame( 25, $this->find( 'POST', '/api/v1/opportunities/{id}/link-check' )['timeout'] );
		$links = $this->find( 'POST', '/api/v1/backlinks' )['body']['backlinks'];
		$this->assertSame( 1000, $links['maxItems'] );
		$this->assertFalse( $links['items']['additionalProperties'] );
		$this->assertTrue( $links['items']['properties']['source_url']['required'] );
	}

	/**
	 * One operation by method and service path.
	 *
	 * @param string $method Method.
	 * @param string $path   Service path.
	 * @return array
	 */
	private function find( $method, $path ) {
		foreach ( Routes::all() as $op ) {
			if ( $op['method'] === $method && $op['path'] === $path ) {
				return $op;
			}
		}
		$this->fail( "no $method $path" );
	}
}
