<?php
/**
 * PSR-4 autoloader for the AlmaSEO\Outreach namespace (src/ClassName.php; one level of
 * sub-namespace, e.g. Generated\Fields in src/Generated/Fields.php).
 *
 * @package AlmaSEO\Outreach
 */

defined( 'ABSPATH' ) || exit;

spl_autoload_register(
	static function ( $class_name ) {
		$prefix = 'AlmaSEO\\Outreach\\';
		if ( strncmp( $class_name, $prefix, strlen( $prefix ) ) !== 0 ) {
			return;
		}
		$relative = substr( $class_name, strlen( $prefix ) );
		if ( ! preg_match( '/^([A-Za-z]+\\\\)?[A-Za-z]+$/', $relative ) ) {
			return;
		}
		$file = __DIR__ . '/' . str_replace( '\\', '/', $relative ) . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);
