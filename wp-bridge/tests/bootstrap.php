<?php
/**
 * PHPUnit bootstrap: the pure classes need no WordPress.
 *
 * @package AlmaSEO\Outreach
 */

require_once dirname( __DIR__ ) . '/src/autoload.php';
