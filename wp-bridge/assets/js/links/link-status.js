/**
 * A link's status in words: the names of the statuses, a checked card's badge and
 * "last seen live" of a Lost Link card.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { when } from '../common/format.js';

export const LINK_STATUS = {
	live: __('Live', 'almaseo-outreach'),
	nofollow: __('Nofollow', 'almaseo-outreach'),
	missing: __('Missing', 'almaseo-outreach'),
	unreachable: __('Unreachable', 'almaseo-outreach'),
	unchecked: __('Not checked', 'almaseo-outreach'),
};

/**
 * The link-status badge of a checked card (null before its first check).
 *
 * @param {Object} card Card.
 * @return {window.HTMLElement|null} Badge.
 */
export function linkBadge(card) {
	const status = card.link_status;
	if (!status || status === 'unchecked') {
		return null;
	}
	const checked = sprintf(
		/* translators: %s: date and time of the last link check */
		__('Last checked %s', 'almaseo-outreach'),
		when(card.link_checked_at)
	);
	return h('span', {
		className: 'ao-badge ao-link-badge ao-link-' + status,
		dataset: { linkStatus: status },
		title: checked,
		'aria-label': LINK_STATUS[status] + ' — ' + checked,
		text: LINK_STATUS[status] || status,
	});
}

/**
 * "Last seen live on …" of a Lost Link card, or '' when never seen.
 *
 * @param {Object} card Card.
 * @return {string} Text.
 */
export function lastSeenLive(card) {
	return card.link_last_live_at
		? sprintf(
				/* translators: %s: date and time */
				__('Last seen live on %s', 'almaseo-outreach'),
				when(card.link_last_live_at)
			)
		: '';
}
