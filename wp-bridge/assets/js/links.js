/**
 * Link monitoring on cards: the link-status badge, "last seen live", and the card
 * detail's Link tab (check now, check history).
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { can } from './config.js';
import { get, post } from './api.js';
import { when } from './format.js';
import { button, showError, clearError } from './modal.js';
import { refresh } from './sync.js';

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

function checkRow(check) {
	const facts = [
		check.http_status ? 'HTTP ' + check.http_status : null,
		check.final_url,
		check.anchor_text
			? sprintf(
					/* translators: %s: anchor text found on the page */
					__('anchor “%s”', 'almaseo-outreach'),
					check.anchor_text
				)
			: null,
		check.rel ? 'rel=' + check.rel : null,
		check.noindex ? __('page is noindex', 'almaseo-outreach') : null,
		check.error,
	].filter(Boolean);
	return h(
		'li',
		{ className: 'ao-link-check', dataset: { status: check.status } },
		[
			h('span', {
				className: 'ao-badge ao-link-' + check.status,
				text: LINK_STATUS[check.status] || check.status,
			}),
			' ',
			h('time', { text: when(check.checked_at) }),
			h('span', {
				className: 'ao-link-check-facts',
				text: facts.join(' · '),
			}),
		]
	);
}

function loadHistory(card, list, target) {
	return get('/opportunities/' + card.id + '/link-checks')
		.then((checks) => {
			clear(list);
			if (!checks || !checks.length) {
				list.appendChild(
					h('li', {
						text: __('Not checked yet.', 'almaseo-outreach'),
					})
				);
			}
			(checks || []).forEach((c) => list.appendChild(checkRow(c)));
		})
		.catch((error) => showError(target, error));
}

/**
 * The Link tab: the card's link status, "Check link now" (edit) and the check history.
 *
 * @param {Object} card   Card.
 * @param {Object} target Dialog handles (errors are shown there).
 * @return {window.HTMLElement} Panel.
 */
export function linkPanel(card, target) {
	const result = h('p', {
		className: 'ao-link-result',
		role: 'status',
		'aria-live': 'polite',
	});
	const list = h('ul', { className: 'ao-link-history' });
	const parts = [];
	if (card.lost_link && lastSeenLive(card)) {
		parts.push(
			h('p', { className: 'ao-lost-since', text: lastSeenLive(card) })
		);
	}
	if (can('edit')) {
		const spinner = h('span', { className: 'spinner' });
		const checkNow = () => {
			clearError(target);
			spinner.classList.add('is-active');
			result.textContent = __('Checking the page…', 'almaseo-outreach');
			return post('/opportunities/' + card.id + '/link-check')
				.then((check) => {
					result.textContent = sprintf(
						/* translators: %s: link status (Live, Missing, …) */
						__('Link status: %s', 'almaseo-outreach'),
						LINK_STATUS[check.status] || check.status
					);
					result.dataset.status = check.status;
					return Promise.all([
						loadHistory(card, list, target),
						refresh(),
					]);
				})
				.catch((error) => {
					result.textContent = '';
					showError(target, error);
				})
				.then(() => spinner.classList.remove('is-active'));
		};
		parts.push(
			h('p', {}, [
				button(
					__('Check link now', 'almaseo-outreach'),
					checkNow,
					'ao-action-check-link'
				),
				spinner,
			])
		);
	}
	parts.push(
		result,
		h('h3', { text: __('Checks', 'almaseo-outreach') }),
		list
	);
	loadHistory(card, list, target);
	return h('div', { className: 'ao-link-panel' }, parts);
}
