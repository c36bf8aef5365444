<?php
/**
 * What every Outreach admin screen does first and last: refuse who may not open it, open
 * the wrapper with the title, and (for a JavaScript screen) print its mount point.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Shared parts of the admin screens (AdminPage, ToolScreens, SettingsScreen,
 * PermissionsScreen) and of their admin-post handlers.
 */
final class Screen {

	/**
	 * Stop with a 403 page unless the current user may open the screen (or run its action).
	 *
	 * @param bool   $allowed Whether the user may.
	 * @param string $message Why not, in a sentence.
	 */
	public static function deny_unless( $allowed, $message ) {
		if ( ! $allowed ) {
			wp_die( esc_html( $message ), 403 );
		}
	}

	/**
	 * Open the screen's wrapper and print its title (the caller closes the wrapper).
	 *
	 * @param string $title   Title.
	 * @param string $classes Classes of the wrapper.
	 */
	public static function open( $title, $classes = 'wrap' ) {
		echo '<div class="' . esc_attr( $classes ) . '"><h1>' . esc_html( $title ) . '</h1>';
	}

	/**
	 * Show, once, an outcome an admin-post handler kept for this user before redirecting
	 * here (user meta {ok, message}), then forget it.
	 *
	 * @param string $meta_key The user meta holding it.
	 * @param string $id       Id of the notice (tests find it by it).
	 */
	public static function notice_once( $meta_key, $id ) {
		$user   = get_current_user_id();
		$result = get_user_meta( $user, $meta_key, true );
		if ( ! is_array( $result ) || ! isset( $result['message'] ) ) {
			return;
		}
		delete_user_meta( $user, $meta_key );
		$class = ! empty( $result['ok'] ) ? 'notice-success' : 'notice-error';
		echo '<div id="' . esc_attr( $id ) . '" class="notice ' . esc_attr( $class ) . '"><p>' . esc_html( $result['message'] ) . '</p></div>';
	}

	/**
	 * The rest of a JavaScript screen: the page configuration, the element its entry module
	 * fills, what to read without JavaScript; closes the wrapper.
	 *
	 * @param string $mount    Id of the element the entry module fills.
	 * @param string $loading  Shown until the module has drawn the screen.
	 * @param string $noscript Shown without JavaScript.
	 */
	public static function mount( $mount, $loading, $noscript ) {
		AdminPage::print_config();
		echo '<div id="' . esc_attr( $mount ) . '"><p class="ao-loading">' . esc_html( $loading ) . '</p></div>';
		echo '<noscript><p>' . esc_html( $noscript ) . '</p></noscript></div>';
	}
}
