<?php
/**
 * The OAuth return page accepts only the state the user's own Connect kept, in time.
 *
 * @package AlmaSEO\Outreach
 */

use AlmaSEO\Outreach\MailboxOAuth;
use PHPUnit\Framework\TestCase;

/**
 * MailboxOAuth::is_users_flow (pure: no WordPress needed).
 */
final class MailboxOAuthTest extends TestCase {

	const NOW = 1800000000;

	/**
	 * What start() keeps for a state.
	 *
	 * @param string $state The service's state.
	 * @param int    $until Expiry.
	 * @return array
	 */
	private static function kept( $state, $until ) {
		return array(
			'state' => hash( 'sha256', $state ),
			'until' => $until,
		);
	}

	public function test_the_state_started_by_this_user_in_time_is_accepted() {
		$this->assertTrue( MailboxOAuth::is_users_flow( self::kept( 'gAAAA-sealed', self::NOW + 60 ), 'gAAAA-sealed', self::NOW ) );
	}

	public function test_another_state_a_late_one_or_none_kept_is_refused() {
		$kept = self::kept( 'gAAAA-sealed', self::NOW + 60 );
		$this->assertFalse( MailboxOAuth::is_users_flow( $kept, 'gAAAA-other', self::NOW ) );
		$this->assertFalse( MailboxOAuth::is_users_flow( $kept, 'gAAAA-sealed', self::NOW + 61 ) );
		$this->assertFalse( MailboxOAuth::is_users_flow( '', 'gAAAA-sealed', self::NOW ) );
		$this->assertFalse( MailboxOAuth::is_users_flow( array( 'until' => self::NOW + 60 ), '', self::NOW ) );
		$this->assertFalse( MailboxOAuth::is_users_flow( self::kept( '', self::NOW + 60 ), '', self::NOW ) );
	}
}
