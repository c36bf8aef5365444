<?php
/**
 * Request signing (docs/api.md, "Signed requests": HMAC-SHA256, v1). Pure PHP: no WordPress calls.
 *
 * @package AlmaSEO\Outreach
 */

namespace AlmaSEO\Outreach;

defined( 'ABSPATH' ) || exit;

/**
 * Builds the X-Outreach-* headers for one request.
 */
final class Signer {

	const VERSION = 'v1';

	/**
	 * Key id sent in X-Outreach-Key.
	 *
	 * @var string
	 */
	private $key_id;

	/**
	 * The secret exactly as printed by the service CLI.
	 *
	 * @var string
	 */
	private $secret;

	/**
	 * Create a signer for one key.
	 *
	 * @param string $key_id Key id.
	 * @param string $secret Secret (its UTF-8 bytes are the HMAC key).
	 */
	public function __construct( $key_id, $secret ) {
		$this->key_id = (string) $key_id;
		$this->secret = (string) $secret;
	}

	/**
	 * The string to sign: docs/api.md's nine lines joined by "\n", no trailing newline.
	 *
	 * @param string $method    HTTP method.
	 * @param string $path      Path exactly as sent, without the query.
	 * @param string $query     Raw query string exactly as sent, without '?'.
	 * @param string $timestamp Unix seconds.
	 * @param string $nonce     Fresh nonce.
	 * @param string $user      WordPress user id, '0' for a system call.
	 * @param string $caps      Comma-separated capabilities, no spaces.
	 * @param string $body      Raw body bytes.
	 * @return string
	 */
	public static function string_to_sign( $method, $path, $query, $timestamp, $nonce, $user, $caps, $body ) {
		return implode(
			"\n",
			array(
				self::VERSION,
				strtoupper( $method ),
				$path,
				$query,
				(string) $timestamp,
				$nonce,
				(string) $user,
				$caps,
				hash( 'sha256', (string) $body ),
			)
		);
	}

	/**
	 * The "v1=<hex>" signature of a string to sign.
	 *
	 * @param string $secret  Secret.
	 * @param string $message String to sign.
	 * @return string
	 */
	public static function sign( $secret, $message ) {
		return self::VERSION . '=' . hash_hmac( 'sha256', $message, $secret );
	}

	/**
	 * A fresh nonce: 32 URL-safe characters from a CSPRNG.
	 *
	 * @return string
	 */
	public static function nonce() {
		return rtrim( strtr( base64_encode( random_bytes( 24 ) ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
	}

	/**
	 * All X-Outreach-* headers for one request.
	 *
	 * @param string      $method    HTTP method.
	 * @param string      $path      Path as sent.
	 * @param string      $query     Query as sent.
	 * @param string      $body      Body bytes.
	 * @param int         $user      WordPress user id.
	 * @param string[]    $caps      Service capabilities.
	 * @param int|null    $timestamp Unix seconds (now when null).
	 * @param string|null $nonce     Nonce (fresh when null).
	 * @return array<string,string>
	 */
	public function headers( $method, $path, $query, $body, $user, array $caps, $timestamp = null, $nonce = null ) {
		$timestamp = null === $timestamp ? time() : (int) $timestamp;
		$nonce     = null === $nonce ? self::nonce() : $nonce;
		$caps_line = implode( ',', $caps );
		$message   = self::string_to_sign( $method, $path, $query, (string) $timestamp, $nonce, (string) (int) $user, $caps_line, $body );
		return array(
			'X-Outreach-Key'       => $this->key_id,
			'X-Outreach-Timestamp' => (string) $timestamp,
			'X-Outreach-Nonce'     => $nonce,
			'X-Outreach-User'      => (string) (int) $user,
			'X-Outreach-Caps'      => $caps_line,
			'X-Outreach-Signature' => self::sign( $this->secret, $message ),
		);
	}
}
