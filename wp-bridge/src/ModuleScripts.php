<?php
/**
 * Native ES modules on WordPress 6.1 (no script-modules API yet): a type="module" tag for
 * our entry handle, translations for every module file, configuration as a JSON block.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Helpers to ship the board's JavaScript as modules without a build step.
 */
final class ModuleScripts {

	/**
	 * Handles printed as modules.
	 *
	 * @var array<string,bool>
	 */
	private static $modules = array();

	/**
	 * Print a handle's tag with type="module" (hooked once on script_loader_tag).
	 *
	 * @param string $handle Script handle.
	 */
	public static function mark_module( $handle ) {
		if ( empty( self::$modules ) ) {
			add_filter( 'script_loader_tag', array( self::class, 'filter_tag' ), 10, 2 );
		}
		self::$modules[ $handle ] = true;
	}

	/**
	 * Add type="module" to the tag of a marked handle.
	 *
	 * @param string $tag    The script tag.
	 * @param string $handle Its handle.
	 * @return string
	 */
	public static function filter_tag( $tag, $handle ) {
		if ( empty( self::$modules[ $handle ] ) ) {
			return $tag;
		}
		return preg_replace( '/<script(?![^>]*\btype=)([^>]*\bsrc=)/', '<script type="module"$1', $tag, 1 );
	}

	/**
	 * Jed locale data for every module file under assets/js, merged (modules are imported by
	 * the browser, not enqueued, so wp_set_script_translations() cannot find them). The
	 * modules are the entries at the top and one level of feature folders below.
	 *
	 * @param string $domain Text domain.
	 * @param string $folder Folder of the .js modules (assets/js).
	 * @param string $path   Folder of the translation files.
	 * @return array|null
	 */
	public static function locale_data( $domain, $folder, $path ) {
		$messages = array();
		$files    = array_merge( (array) glob( $folder . '/*.js' ), (array) glob( $folder . '/*/*.js' ) );
		foreach ( $files as $file ) {
			$relative = substr( $file, strlen( $folder ) + 1 );
			$handle   = 'almaseo-outreach-i18n-' . str_replace( '/', '-', substr( $relative, 0, -3 ) );
			wp_register_script( $handle, plugins_url( 'assets/js/' . $relative, ALMASEO_OUTREACH_FILE ), array(), ALMASEO_OUTREACH_VERSION, true );
			$json = load_script_textdomain( $handle, $domain, $path );
			$data = is_string( $json ) ? json_decode( $json, true ) : null;
			if ( isset( $data['locale_data']['messages'] ) && is_array( $data['locale_data']['messages'] ) ) {
				$messages = array_merge( $data['locale_data']['messages'], $messages );
			}
		}
		return empty( $messages ) ? null : $messages;
	}

	/**
	 * Print data for the page as a JSON block (never executed, read with JSON.parse).
	 *
	 * @param string $id   Element id.
	 * @param array  $data Data.
	 */
	public static function print_json( $id, array $data ) {
		$json = wp_json_encode( $data, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES );
		printf( '<script type="application/json" id="%s">%s</script>' . "\n", esc_attr( $id ), $json ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- JSON with <, > and & hex-escaped.
	}
}
