<?php
/**
 * Uninstall: the plugin's option and capabilities go from every site, its user meta once.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Removes what the plugin stored in WordPress. Outreach data lives in the service.
 */
final class Uninstall {

	/**
	 * Clean every site of a network (or the one site), then the network-wide user meta.
	 */
	public static function run() {
		if ( is_multisite() ) {
			// Why: the option and the role/user caps are per site; deleting them only on the
			// site that ran the uninstall would leave the other sites configured.
			$site_ids = get_sites(
				array(
					'fields' => 'ids',
					'number' => 0,
				)
			);
			foreach ( $site_ids as $site_id ) {
				switch_to_blog( $site_id );
				self::site();
				restore_current_blog();
			}
		} else {
			self::site();
		}
		foreach ( array( SettingsScreen::RESULT_META, MailboxOAuth::FLOW_META, MailboxOAuth::RESULT_META ) as $key ) {
			delete_metadata( 'user', 0, $key, '', true );
		}
	}

	/**
	 * Clean the current site: its option and its roles' and users' capabilities.
	 */
	public static function site() {
		delete_option( Settings::OPTION );
		Capabilities::remove_everywhere();
	}
}
