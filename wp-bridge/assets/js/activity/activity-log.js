/**
 * The activity log (docs/api.md §21): what happened, as sentences ("Anna moved
 * example.org to Won"), newest first; the whole site's (Activity screen and dialog, with
 * filters by person, kind and card) or one card's (its detail panel).
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { get } from '../common/api.js';
import { button, select } from '../common/controls.js';
import { modal, showError } from '../common/modal.js';
import { when } from '../common/format.js';
import { sentence } from './sentences.js';
import { KIND_OPTIONS } from './activity-labels.js';

const PAGE_SIZE = 50;

function list(items, onCard) {
	if (!items.length) {
		return h('p', {
			className: 'ao-activity-empty',
			text: __('Nothing happened here yet.', 'almaseo-outreach'),
		});
	}
	return h(
		'ul',
		{ className: 'ao-activity' },
		items.map((entry) =>
			h(
				'li',
				{
					className: 'ao-activity-entry',
					dataset: {
						action: entry.action,
						kind: entry.kind,
						count: String(entry.count),
					},
				},
				[
					h('time', {
						className: 'ao-activity-when',
						datetime: entry.at,
						text: when(entry.at),
					}),
					' ',
					h('span', {
						className: 'ao-activity-text',
						text: sentence(entry),
					}),
					entry.card && onCard
						? h('button', {
								type: 'button',
								className: 'button-link ao-activity-card',
								dataset: { id: String(entry.card.id) },
								text: __('Only this card', 'almaseo-outreach'),
								'aria-label': sprintf(
									/* translators: %s: the card's domain */
									__(
										'Show only the activity of %s',
										'almaseo-outreach'
									),
									entry.card.domain
								),
								onClick: () => onCard(entry.card),
							})
						: null,
				]
			)
		)
	);
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
	get('/activity', { opportunity_id: card.id, page_size: PAGE_SIZE }).then(
		(page) => clear(panel).appendChild(list(page.items, null)),
		(error) =>
			clear(panel).appendChild(
				h('p', { className: 'ao-error', text: error.message })
			)
	);
	return panel;
}

function filterBar(filters, reload) {
	const person = select([['', __('Everyone', 'almaseo-outreach')]]);
	person.className = 'ao-activity-person';
	person.setAttribute('aria-label', __('Person', 'almaseo-outreach'));
	const kind = select(KIND_OPTIONS);
	kind.className = 'ao-activity-kind';
	kind.setAttribute('aria-label', __('Kind', 'almaseo-outreach'));
	const chip = h('span', {
		className: 'ao-activity-card-filter',
		hidden: true,
	});
	person.addEventListener('change', () => {
		filters.user = person.value;
		reload();
	});
	kind.addEventListener('change', () => {
		filters.kind = kind.value;
		reload();
	});
	const bar = h('div', { className: 'ao-activity-filters' }, [
		person,
		kind,
		chip,
	]);
	bar.people = (people) => {
		if (person.options.length > 1) {
			return;
		}
		people.forEach((p) =>
			person.appendChild(
				h('option', {
					value: String(p.user),
					text: p.user_name || String(p.user),
				})
			)
		);
		person.value = filters.user;
	};
	bar.card = (card) => {
		filters.card = card ? String(card.id) : '';
		clear(chip).hidden = !card;
		if (card) {
			chip.append(
				/* translators: %s: the card's domain */
				sprintf(__('Card: %s', 'almaseo-outreach'), card.domain),
				' ',
				button(
					__('Show every card', 'almaseo-outreach'),
					() => bar.card(null),
					'ao-activity-all-cards'
				)
			);
		}
		reload();
	};
	return bar;
}

/**
 * The site's activity, newest first with Newer/Older buttons and filters, in a host: the
 * Activity screen's section or the Activity dialog.
 *
 * @param {Object} host Handles { body, footer, error } of a dialog or a screen's section.
 */
export function activityLog(host) {
	const filters = { user: '', kind: '', card: '' };
	const shown = h('div', { className: 'ao-activity-list' });
	let cursors = [null]; // the `before` of each page seen; the last one is on screen
	const bar = filterBar(filters, () => {
		cursors = [null];
		load();
	});
	const newer = button(
		__('Newer', 'almaseo-outreach'),
		() => {
			cursors.pop();
			load(); // not returned: the button would re-enable itself after load() set it
		},
		'ao-activity-newer'
	);
	const older = button(
		__('Older', 'almaseo-outreach'),
		() => {
			load(true);
		},
		'ao-activity-older'
	);
	let next = null;

	function load(onward) {
		if (onward) {
			cursors.push(next);
		}
		const query = { page_size: PAGE_SIZE };
		const before = cursors[cursors.length - 1];
		if (before) {
			query.before = before;
		}
		['user', 'kind'].forEach((key) => {
			if (filters[key] !== '') {
				query[key] = filters[key];
			}
		});
		if (filters.card !== '') {
			query.opportunity_id = filters.card;
		}
		return get('/activity', query)
			.then((answer) => {
				next = answer.next_before;
				bar.people(answer.people || []);
				clear(shown).appendChild(list(answer.items, bar.card));
				newer.disabled = cursors.length <= 1;
				older.disabled = !next;
			})
			.catch((error) => showError(host, error));
	}
	load();
	host.body.append(bar, shown);
	host.footer.append(newer, older);
}

/** The Activity dialog (from the board's toolbar). */
export function activityDialog() {
	activityLog(modal(__('Activity', 'almaseo-outreach'), 'activity'));
}
