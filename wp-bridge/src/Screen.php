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
