<?php
/**
 * The PHP signer reproduces the shared signing vectors byte for byte.
 *
 * @package AlmaSEO\Outreach
 */

use AlmaSEO\Outreach\Signer;
use PHPUnit\Framework\TestCase;

/**
 * Signer tests against schemas/signing-vectors.json (the Python service uses the same file).
 */
final class SignerTest extends TestCase {

	/**
	 * Every vector of the shared file.
	 *
	 * @return array<string,array{0:array}>
	 */
	public static function vectors() {
		$file = getenv( 'ALMASEO_SIGNING_VECTORS' );
		if ( ! $file ) {
			$file = dirname( __DIR__, 2 ) . '/schemas/signing-vectors.json';
		}
		$data = json_decode( file_get_contents( $file ), true ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		$out  = array();
		foreach ( $data['vectors'] as $vector ) {
			$out[ $vector['name'] ] = array( $vector );
		}
		return $out;
	}

	/**
	 * The file exists and holds several vectors (a missing file must not pass silently).
	 */
	public function test_vectors_are_loaded() {
		$this->assertGreaterThanOrEqual( 5, count( self::vectors() ) );
	}

	/**
	 * String to sign and signature match the vector.
	 *
	 * @dataProvider vectors
	 * @param array $v One vector.
	 */
	public function test_vector( array $v ) {
		$body = base64_decode( $v['body_base64'], true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		$this->assertSame( $v['body_sha256'], hash( 'sha256', $body ) );
		$sts = Signer::string_to_sign( $v['method'], $v['path'], $v['query'], $v['timestamp'], $v['nonce'], $v['user'], $v['caps'], $body );
		$this->assertSame( $v['string_to_sign'], $sts );
		$this->assertSame( $v['signature'], Signer::sign( $v['secret'], $sts ) );
	}

	/**
	 * The headers() helper signs the same string and fills every header.
	 *
	 * @dataProvider vectors
	 * @param array $v One vector.
	 */
	public function test_headers( array $v ) {
		$body    = base64_decode( $v['body_base64'], true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		$caps    = '' === $v['caps'] ? array() : explode( ',', $v['caps'] );
		$signer  = new Signer( 'key_abc', $v['secret'] );
		$headers = $signer->headers( strtolower( $v['method'] ), $v['path'], $v['query'], $body, (int) $v['user'], $caps, (int) $v['timestamp'], $v['nonce'] );
		$this->assertSame( $v['signature'], $headers['X-Outreach-Signature'] );
		$this->assertSame( 'key_abc', $headers['X-Outreach-Key'] );
		$this->assertSame( $v['caps'], $headers['X-Outreach-Caps'] );
		$this->assertSame( $v['user'], $headers['X-Outreach-User'] );
	}

	/**
	 * A changed byte anywhere changes the signature.
	 */
	public function test_tampering_changes_signature() {
		$a = Signer::sign( 's', Signer::string_to_sign( 'GET', '/api/v1/board', '', '1', 'n', '0', '', '' ) );
		$b = Signer::sign( 's', Signer::string_to_sign( 'GET', '/api/v1/board', 'q=x', '1', 'n', '0', '', '' ) );
		$c = Signer::sign( 't', Signer::string_to_sign( 'GET', '/api/v1/board', '', '1', 'n', '0', '', '' ) );
		$this->assertNotSame( $a, $b );
		$this->assertNotSame( $a, $c );
	}

	/**
	 * Nonces have the contract's shape and do not repeat.
	 */
	public function test_nonce_shape() {
		$seen = array();
		for ( $i = 0; $i < 200; $i++ ) {
			$n = Signer::nonce();
			$this->assertMatchesRegularExpression( '/^[A-Za-z0-9_-]{16,64}$/', $n );
			$seen[ $n ] = true;
		}
		$this->assertCount( 200, $seen );
	}
}
