/**
 * The card panel's Link tab: the card's link status, "Check link now" (edit) and the
 * history of its checks.
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { can } from '../common/config.js';
import { get, post } from '../common/api.js';
import { when } from '../common/format.js';
import { button } from '../common/controls.js';
import { showError, clearError } from '../common/modal.js';
import { refresh } from '../common/sync.js';
import { LINK_STATUS, lastSeenLive } from './link-status.js';

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
 * "Check link now" and its spinner: the result goes to `ui.result`, the history reloads.
 *
 * @param {Object} card Card.
 * @param {Object} ui   { result, list, target } of the tab.
 * @return {window.HTMLElement} The button's paragraph.
 */
function checkNow(card, ui) {
	const spinner = h('span', { className: 'spinner' });
	const check = () => {
		clearError(ui.target);
		spinner.classList.add('is-active');
		ui.result.textContent = __('Checking the page…', 'almaseo-outreach');
		return post('/opportunities/' + card.id + '/link-check')
			.then((answer) => {
				ui.result.textContent = sprintf(
					/* translators: %s: link status (Live, Missing, …) */
					__('Link status: %s', 'almaseo-outreach'),
					LINK_STATUS[answer.status] || answer.status
				);
				ui.result.dataset.status = answer.status;
				return Promise.all([
					loadHistory(card, ui.list, ui.target),
					refresh(),
				]);
			})
			.catch((error) => {
				ui.result.textContent = '';
				showError(ui.target, error);
			})
			.then(() => spinner.classList.remove('is-active'));
	};
	return h('p', {}, [
		button(
			__('Check link now', 'almaseo-outreach'),
			check,
			'ao-action-check-link'
		),
		spinner,
	]);
}

/**
 * The Link tab: the card's link status, "Check link now" (edit) and the check history.
 *
 * @param {Object} card   Card.
 * @param {Object} target Dialog handles (errors are shown there).
 * @return {window.HTMLElement} Panel.
 */
export function linkPanel(card, target) {
	const ui = {
		target,
		result: h('p', {
			className: 'ao-link-result',
			role: 'status',
			'aria-live': 'polite',
		}),
		list: h('ul', { className: 'ao-link-history' }),
	};
	loadHistory(card, ui.list, target);
	return h('div', { className: 'ao-link-panel' }, [
		card.lost_link && lastSeenLive(card)
			? h('p', { className: 'ao-lost-since', text: lastSeenLive(card) })
			: null,
		can('edit') ? checkNow(card, ui) : null,
		ui.result,
		h('h3', { text: __('Checks', 'almaseo-outreach') }),
		ui.list,
	]);
}
