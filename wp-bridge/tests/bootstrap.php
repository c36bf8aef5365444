<?php
/**
 * PHPUnit bootstrap: the pure classes need no WordPress, only the ABSPATH their guard checks.
 *
 * @package AlmaSEO\Outreach
 */

define( 'ABSPATH', dirname( __DIR__ ) . '/' ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedConstantFound -- WordPress' own constant, which the src/ guards check; no WordPress runs here.
require_once dirname( __DIR__ ) . '/src/autoload.php';
