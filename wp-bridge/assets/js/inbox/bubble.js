/**
 * The unread count in the Outreach menu's bubbles (src/InboxCount.php draws them).
 */
import { _n, sprintf } from '../common/i18n.js';

/**
 * Show `count` in every unread bubble of the admin menu (count-0 hides it).
 *
 * @param {number} count Unread replies.
 */
export function setBubble(count) {
	document.querySelectorAll('.ao-unread-bubble').forEach((bubble) => {
		bubble.className = 'awaiting-mod count-' + count + ' ao-unread-bubble';
		const number = bubble.querySelector('.pending-count');
		if (number) {
			number.textContent = String(count);
		}
		const words = bubble.querySelector('.screen-reader-text');
		if (words) {
			words.textContent = sprintf(
				/* translators: %d: number of unread replies */
				_n(
					'%d unread reply',
					'%d unread replies',
					count,
					'almaseo-outreach'
				),
				count
			);
		}
	});
}
