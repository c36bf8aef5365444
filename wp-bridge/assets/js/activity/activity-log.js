/**
 * The activity log: who (WordPress display name, resolved by the bridge) did what, when;
 * the whole site's (Activity dialog) or one card's (its detail panel).
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { get } from '../common/api.js';
import { button } from '../common/controls.js';
import { modal, showError } from '../common/modal.js';
import { when } from '../common/format.js';

const PAGE_SIZE = 50;
const ACTIONS = {
	'opportunity.create': __('created the card', 'almaseo-outreach'),
	'opportunity.import': __('imported the card', 'almaseo-outreach'),
	'opportunity.update': __('edited the card', 'almaseo-outreach'),
	'opportunity.move': __('moved the card', 'almaseo-outreach'),
	'opportunity.notes': __('changed the notes', 'almaseo-outreach'),
	'opportunity.delete': __('deleted the card', 'almaseo-outreach'),
	'email.reserve': __('sent an email', 'almaseo-outreach'),
	'email.replied': __('marked an email replied', 'almaseo-outreach'),
	'enrollment.create': __('started a sequence', 'almaseo-outreach'),
	'enrollment.stop': __('stopped a sequence', 'almaseo-outreach'),
	'site.update': __('changed the settings', 'almaseo-outreach'),
};

function describe(item) {
	return ACTIONS[item.action] || item.action;
}

function changes(item) {
	if (!item.changes) {
		return '';
	}
	return Object.entries(item.changes)
		.map(([key, value]) =>
			Array.isArray(value) && value.length === 2
				? key + ': ' + String(value[0]) + ' → ' + String(value[1])
				: key + ': ' + String(value)
		)
		.join('; ');
}

function table(items) {
	return h('table', { className: 'widefat striped ao-activity' }, [
		h('thead', {}, [
			h('tr', {}, [
				h('th', { text: __('When', 'almaseo-outreach') }),
				h('th', { text: __('Who', 'almaseo-outreach') }),
				h('th', { text: __('What', 'almaseo-outreach') }),
				h('th', { text: __('Details', 'almaseo-outreach') }),
			]),
		]),
		h(
			'tbody',
			{},
			items.map((item) =>
				h('tr', { dataset: { action: item.action } }, [
					h('td', { text: when(item.at) }),
					h('td', {
						className: 'ao-activity-user',
						text: item.user_name || String(item.user),
					}),
					h('td', {
						text:
							describe(item) +
							(item.object_type === 'opportunity'
								? ' #' + item.object_id
								: ''),
					}),
					h('td', {
						className: 'ao-activity-changes',
						text: changes(item),
					}),
				])
			)
		),
	]);
}

/**
 * One card's activity, for its detail panel.
 *
 * @param {Object} card Card.
 * @return {window.HTMLElement} The panel (filled when the answer arrives).
 */
export function cardActivity(card) {
	const panel = h('div', { className: 'ao-card-activity' }, [
		h('p', { text: __('Loading…', 'almaseo-outreach') }),
	]);
	get('/audit', { opportunity_id: card.id, page_size: PAGE_SIZE }).then(
		(page) => {
			clear(panel).appendChild(table(page.items));
		},
		(error) => {
			clear(panel).appendChild(
				h('p', { className: 'ao-error', text: error.message })
			);
		}
	);
	return panel;
}

/**
 * The site's whole trail, page by page with Newer/Older buttons, in a host: the Activity
 * screen's section or the Activity dialog.
 *
 * @param {Object} host Handles { body, footer, error } of a dialog or a screen's section.
 */
export function activityLog(host) {
	const list = h('div', { className: 'ao-activity-list' });
	const status = h('span', { className: 'ao-activity-page' });
	let page = 1;
	let pages = 1;
	const previous = button(
		__('Newer', 'almaseo-outreach'),
		() => load(page - 1),
		'ao-activity-newer'
	);
	const next = button(
		__('Older', 'almaseo-outreach'),
		() => load(page + 1),
		'ao-activity-older'
	);

	function load(number) {
		get('/audit', { page: number, page_size: PAGE_SIZE })
			.then((answer) => {
				page = number;
				pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
				clear(list).appendChild(table(answer.items));
				status.textContent = sprintf(
					/* translators: 1: page, 2: pages */
					__('Page %1$d of %2$d', 'almaseo-outreach'),
					page,
					pages
				);
				previous.disabled = page <= 1;
				next.disabled = page >= pages;
			})
			.catch((error) => showError(host, error));
	}
	load(1);
	host.body.appendChild(list);
	host.footer.append(previous, status, next);
}

/** The Activity dialog (from the board's toolbar). */
export function activityDialog() {
	activityLog(modal(__('Activity', 'almaseo-outreach'), 'activity'));
}
