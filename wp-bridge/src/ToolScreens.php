<?php
/**
 * The Outreach menu's JavaScript screens besides the board (Inbox, Activity, Do not contact,
 * Integrations, Mailboxes):
 * each an empty mount point filled by its own entry module at the top of assets/js.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Adds the screens to the Outreach menu and enqueues each one's module on it only. Their
 * data comes from the allow-listed proxy routes (`/replies`, `/audit`, `/suppressions`). A new screen
 * is one more entry in screens() and its entry module (docs/wordpress.md).
 */
final class ToolScreens {

	/**
	 * Entry module of each screen, by its hook suffix.
	 *
	 * @var array<string,string>
	 */
	private static $entries = array();

	/**
	 * Every screen: menu slug, capability, page title, menu label, one sentence under the
	 * title, its entry module under assets/js and the id of the element the module fills;
	 * `load` runs before the screen is drawn (it may redirect), `notice` prints above it.
	 *
	 * @return array<int,array{slug:string,cap:string,title:string,menu:string,intro:string,entry:string,mount:string,bubble?:bool,load?:callable,notice?:callable}>
	 */
	private static function screens() {
		return array(
			array(
				'slug'   => 'almaseo-outreach-inbox',
				'cap'    => 'view',
				'title'  => __( 'Outreach inbox', 'almaseo-outreach' ),
				'menu'   => __( 'Inbox', 'almaseo-outreach' ),
				'intro'  => __( 'Every reply to the site\'s outreach, unread first. Keys: j and k move, Enter opens, e marks read.', 'almaseo-outreach' ),
				'entry'  => 'inbox.js',
				'mount'  => 'ao-inbox-app',
				'bubble' => true,
			),
			array(
				'slug'  => 'almaseo-outreach-activity',
				'cap'   => 'settings',
				'title' => __( 'Outreach activity', 'almaseo-outreach' ),
				'menu'  => __( 'Activity', 'almaseo-outreach' ),
				'intro' => __( 'Who did what on the outreach board, newest first.', 'almaseo-outreach' ),
				'entry' => 'activity.js',
				'mount' => 'ao-activity-app',
			),
			array(
				'slug'  => 'almaseo-outreach-do-not-contact',
				'cap'   => 'settings',
				'title' => __( 'Do not contact', 'almaseo-outreach' ),
				'menu'  => __( 'Do not contact', 'almaseo-outreach' ),
				'intro' => __( 'Addresses and domains this site never emails, and why each is on the list. A domain also blocks its subdomains.', 'almaseo-outreach' ),
				'entry' => 'do-not-contact.js',
				'mount' => 'ao-dnc-app',
			),
			array(
				'slug'  => 'almaseo-outreach-integrations',
				'cap'   => 'settings',
				'title' => __( 'Integrations', 'almaseo-outreach' ),
				'menu'  => __( 'Integrations', 'almaseo-outreach' ),
				'intro' => __( 'Tell your other tools what happens on the board: each endpoint receives the events you choose, signed (Standard Webhooks) or as one line for a Slack channel.', 'almaseo-outreach' ),
				'entry' => 'integrations.js',
				'mount' => 'ao-integrations-app',
			),
			array(
				'slug'   => MailboxOAuth::SLUG,
				'cap'    => 'settings',
				'title'  => __( 'Mailboxes', 'almaseo-outreach' ),
				'menu'   => __( 'Mailboxes', 'almaseo-outreach' ),
				'intro'  => __( 'Send from your team\'s own Gmail, Outlook or any SMTP account, and read the replies from its inbox (IMAP). Each mailbox sends at most its cap a day, growing from a small start (the ramp).', 'almaseo-outreach' ),
				'entry'  => 'mailboxes.js',
				'mount'  => 'ao-mailboxes-app',
				// The OAuth providers send the person back here (MailboxOAuth).
				'load'   => array( MailboxOAuth::class, 'finish' ),
				'notice' => array( MailboxOAuth::class, 'render_result' ),
			),
		);
	}

	/**
	 * Add the screens under the Outreach menu (admin_menu).
	 */
	public static function add_all() {
		foreach ( self::screens() as $screen ) {
			$render = static function () use ( $screen ) {
				self::render( $screen );
			};
			// The Inbox's label carries the unread count (InboxCount, escaped there).
			$menu = empty( $screen['bubble'] ) ? esc_html( $screen['menu'] ) : InboxCount::label( $screen['menu'] );
			$hook = add_submenu_page( Plugin::SLUG, $screen['title'], $menu, Capabilities::wp_cap( $screen['cap'] ), $screen['slug'], $render );
			if ( is_string( $hook ) && '' !== $hook ) {
				self::$entries[ $hook ] = $screen['entry'];
				if ( isset( $screen['load'] ) ) {
					add_action( 'load-' . $hook, $screen['load'] );
				}
			}
		}
	}

	/**
	 * Render a screen's mount point.
	 *
	 * @param array $screen One of screens().
	 */
	private static function render( array $screen ) {
		Screen::deny_unless( Capabilities::can( $screen['cap'] ), __( 'You are not allowed to open this outreach screen.', 'almaseo-outreach' ) );
		Screen::open( $screen['title'], 'wrap almaseo-outreach-wrap' );
		if ( isset( $screen['notice'] ) ) {
			call_user_func( $screen['notice'] );
		}
		echo '<p>' . esc_html( $screen['intro'] ) . '</p>';
		Screen::mount( $screen['mount'], __( 'Loading…', 'almaseo-outreach' ), __( 'This screen needs JavaScript.', 'almaseo-outreach' ) );
	}

	/**
	 * Enqueue the current screen's module and styles (admin_enqueue_scripts).
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		if ( isset( self::$entries[ $hook_suffix ] ) ) {
			$entry = self::$entries[ $hook_suffix ];
			AdminPage::enqueue_entry( 'almaseo-outreach-' . basename( $entry, '.js' ), $entry );
		}
	}
}
