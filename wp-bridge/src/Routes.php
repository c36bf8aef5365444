<?php
/**
 * The explicit allow-list of proxied operations: one entry per service operation, nothing else.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

use AlmaSEO\Outreach\Generated\Fields;

defined( 'ABSPATH' ) || exit;

/**
 * Route table of the REST proxy (docs/api.md). Each entry names the WordPress route, the
 * capability and the service operation; the operation's arguments (query parameters and
 * body fields, with the service's limits) come from Generated\Fields, written from
 * schemas/openapi.json by scripts/gen_bridge_fields.py, so no limit is kept here.
 */
final class Routes {

	const ID = '(?P<id>\d+)';

	/**
	 * A second id in one route (a project's share link): fills {sub_id}.
	 */
	const SUB_ID = '(?P<sub_id>\d+)';

	/**
	 * Every proxied operation: WP route, method, capability, service path, query and body args.
	 *
	 * @return array<int,array{route:string,method:string,cap:string|array,path:string,query:array,body:array}>
	 */
	public static function all() {
		$id  = self::ID;
		$sub = self::SUB_ID;
		return array(
			self::op( '/board', 'GET', 'view', '/api/v1/board' ) + array( 'pass_headers' => array( 'If-None-Match' ) ),
			self::op( '/opportunities/bulk', 'POST', BulkAccess::CAPS, '/api/v1/opportunities/bulk' ),
			self::op( '/opportunities', 'GET', 'view', '/api/v1/opportunities' ),
			self::op( '/opportunities', 'POST', 'edit', '/api/v1/opportunities' ),
			self::op( "/opportunities/$id", 'GET', 'view', '/api/v1/opportunities/{id}' ),
			self::op( "/opportunities/$id", 'PATCH', 'edit', '/api/v1/opportunities/{id}' ),
			self::op( "/opportunities/$id", 'DELETE', 'delete', '/api/v1/opportunities/{id}' ),
			self::op( "/opportunities/$id/move", 'POST', 'edit', '/api/v1/opportunities/{id}/move' ),
			self::op( "/opportunities/$id/notes", 'PUT', 'edit', '/api/v1/opportunities/{id}/notes' ),
			self::op( "/opportunities/$id/emails", 'GET', 'view', '/api/v1/opportunities/{id}/emails' ),
			// Why `to` is required here: the board always names the recipient it shows.
			self::op( "/opportunities/$id/emails", 'POST', 'send', '/api/v1/opportunities/{id}/emails', array( 'to' ) ),
			self::op( "/opportunities/$id/sequence", 'POST', 'send', '/api/v1/opportunities/{id}/sequence' ),
			self::op( "/opportunities/$id/sequence", 'DELETE', 'send', '/api/v1/opportunities/{id}/sequence' ),
			self::op( "/emails/$id/replied", 'POST', 'edit', '/api/v1/emails/{id}/replied' ),
			self::op( "/emails/$id", 'DELETE', 'send', '/api/v1/emails/{id}' ),
			self::op( '/replies', 'GET', 'view', '/api/v1/replies' ),
			self::op( "/replies/$id", 'GET', 'view', '/api/v1/replies/{id}' ),
			self::op( "/replies/$id", 'PATCH', 'edit', '/api/v1/replies/{id}' ),
			self::op( "/replies/$id/use-contact", 'POST', 'edit', '/api/v1/replies/{id}/use-contact' ),
			self::op( "/replies/$id/read", 'POST', 'view', '/api/v1/replies/{id}/read' ),
			self::op( '/templates', 'GET', 'view', '/api/v1/templates' ),
			self::op( '/templates', 'POST', 'templates', '/api/v1/templates' ),
			self::op( '/templates/preview', 'POST', 'view', '/api/v1/templates/preview' ),
			self::op( "/templates/$id", 'GET', 'view', '/api/v1/templates/{id}' ),
			self::op( "/templates/$id", 'PATCH', 'templates', '/api/v1/templates/{id}' ),
			self::op( "/templates/$id", 'DELETE', 'templates', '/api/v1/templates/{id}' ),
			self::op( '/sequences', 'GET', 'view', '/api/v1/sequences' ),
			self::op( '/sequences', 'POST', 'sequences', '/api/v1/sequences' ),
			self::op( "/sequences/$id", 'GET', 'view', '/api/v1/sequences/{id}' ),
			self::op( "/sequences/$id", 'PATCH', 'sequences', '/api/v1/sequences/{id}' ),
			self::op( "/sequences/$id", 'DELETE', 'sequences', '/api/v1/sequences/{id}' ),
			self::op( "/sequences/$id/experiments", 'GET', 'view', '/api/v1/sequences/{id}/experiments' ),
			self::op( '/metrics', 'GET', 'view', '/api/v1/metrics' ),
			self::op( '/metrics/daily', 'GET', 'view', '/api/v1/metrics/daily' ),
			self::op( '/metrics/templates', 'GET', 'view', '/api/v1/metrics/templates' ),
			self::op( '/metrics/sequences', 'GET', 'view', '/api/v1/metrics/sequences' ),
			// The raw text/csv body is forwarded as it came (the service parses it).
			self::op( '/opportunities/import', 'POST', 'edit', '/api/v1/opportunities/import' ) + array( 'csv_body' => true ),
			self::op( '/audit', 'GET', 'settings', '/api/v1/audit' ) + array( 'user_names' => true ),
			self::op( '/activity', 'GET', 'settings', '/api/v1/activity' ) + array( 'user_names' => true ),
			// Why 25 s: the service may take 20 s to fetch the page.
			self::op( "/opportunities/$id/link-check", 'POST', 'edit', '/api/v1/opportunities/{id}/link-check' ) + array( 'timeout' => 25 ),
			self::op( "/opportunities/$id/link-checks", 'GET', 'view', '/api/v1/opportunities/{id}/link-checks' ),
			self::op( '/backlinks', 'GET', 'view', '/api/v1/backlinks' ),
			self::op( '/backlinks', 'POST', 'edit', '/api/v1/backlinks' ),
			self::op( "/backlinks/$id", 'DELETE', 'edit', '/api/v1/backlinks/{id}' ),
			self::op( '/site', 'GET', 'settings', '/api/v1/site' ),
			self::op( '/site', 'PATCH', 'settings', '/api/v1/site' ),
			self::op( '/suppressions', 'GET', 'settings', '/api/v1/suppressions' ),
			self::op( '/suppressions', 'POST', 'settings', '/api/v1/suppressions' ),
			self::op( "/suppressions/$id", 'DELETE', 'settings', '/api/v1/suppressions/{id}' ),
			self::op( '/sender-domains', 'GET', 'settings', '/api/v1/sender-domains' ),
			self::op( '/sender-domains', 'POST', 'settings', '/api/v1/sender-domains' ),
			self::op( "/sender-domains/$id", 'DELETE', 'settings', '/api/v1/sender-domains/{id}' ),
			self::op( "/sender-domains/$id/verify", 'POST', 'settings', '/api/v1/sender-domains/{id}/verify' ),
			// A person's own saved board views: the service keys them by the signed user id.
			self::op( '/views', 'GET', 'view', '/api/v1/views' ),
			self::op( '/views', 'POST', 'view', '/api/v1/views' ),
			self::op( "/views/$id", 'DELETE', 'view', '/api/v1/views/{id}' ),
			// Projects and client reports (docs/api.md §19).
			self::op( '/projects', 'GET', 'view', '/api/v1/projects' ),
			self::op( '/projects', 'POST', 'edit', '/api/v1/projects' ),
			self::op( "/projects/$id", 'GET', 'view', '/api/v1/projects/{id}' ),
			self::op( "/projects/$id", 'PATCH', 'edit', '/api/v1/projects/{id}' ),
			self::op( "/projects/$id", 'DELETE', 'edit', '/api/v1/projects/{id}' ),
			self::op( "/projects/$id/report", 'GET', 'view', '/api/v1/projects/{id}/report' ),
			self::op( "/projects/$id/shares", 'GET', 'view', '/api/v1/projects/{id}/shares' ),
			self::op( "/projects/$id/shares", 'POST', 'edit', '/api/v1/projects/{id}/shares' ),
			self::op( "/projects/$id/shares/$sub", 'DELETE', 'edit', '/api/v1/projects/{id}/shares/{sub_id}' ),
			self::op( '/webhooks', 'GET', 'settings', '/api/v1/webhooks' ),
			self::op( '/webhooks', 'POST', 'settings', '/api/v1/webhooks' ),
			self::op( "/webhooks/$id", 'GET', 'settings', '/api/v1/webhooks/{id}' ),
			self::op( "/webhooks/$id", 'PATCH', 'settings', '/api/v1/webhooks/{id}' ),
			self::op( "/webhooks/$id", 'DELETE', 'settings', '/api/v1/webhooks/{id}' ),
			self::op( "/webhooks/$id/deliveries", 'GET', 'settings', '/api/v1/webhooks/{id}/deliveries' ),
			// Why 15 s: the service waits up to 10 s for the endpoint's answer.
			self::op( "/webhooks/$id/test", 'POST', 'settings', '/api/v1/webhooks/{id}/test' ) + array( 'timeout' => 15 ),
			self::op( '/mailboxes', 'GET', 'settings', '/api/v1/mailboxes' ),
			self::op( '/mailboxes', 'POST', 'settings', '/api/v1/mailboxes' ),
			self::op( "/mailboxes/$id", 'GET', 'settings', '/api/v1/mailboxes/{id}' ),
			self::op( "/mailboxes/$id", 'PATCH', 'settings', '/api/v1/mailboxes/{id}' ),
			self::op( "/mailboxes/$id", 'DELETE', 'settings', '/api/v1/mailboxes/{id}' ),
			// Why 70 s: the service logs in on SMTP, then IMAP, each up to OUTREACH_MAIL_TIMEOUT (30 s).
			self::op( "/mailboxes/$id/test", 'POST', 'settings', '/api/v1/mailboxes/{id}/test' ) + array( 'timeout' => 70 ),
			self::op( '/mailboxes/oauth/start', 'POST', 'settings', '/api/v1/mailboxes/oauth/start' ),
			// Why 20 s: the service waits up to 15 s for the provider's token endpoint.
			self::op( '/mailboxes/oauth/finish', 'POST', 'settings', '/api/v1/mailboxes/oauth/finish' ) + array( 'timeout' => 20 ),
		);
	}

	/**
	 * One operation, its arguments taken from the service's definition.
	 *
	 * @param string       $route    WP route (regex for ids).
	 * @param string       $method   HTTP method.
	 * @param string|array $cap      Short capability name, or action => capability (BulkAccess).
	 * @param string       $path     Service path ({id} filled from the route).
	 * @param string[]     $required Body fields the bridge requires beyond the service's own.
	 * @return array
	 */
	private static function op( $route, $method, $cap, $path, array $required = array() ) {
		$args = Fields::OPERATIONS[ $method . ' ' . str_replace( '{sub_id}', '{id}', $path ) ];
		foreach ( $required as $name ) {
			$args['body'][ $name ]['required'] = true;
		}
		return array(
			'route'  => $route,
			'method' => $method,
			'cap'    => $cap,
			'path'   => $path,
			'query'  => $args['query'],
			'body'   => $args['body'],
		);
	}
}
