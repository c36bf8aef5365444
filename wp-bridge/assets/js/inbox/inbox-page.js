/**
 * Outreach → Inbox: every reply of the site, unread first then newest, filtered by kind,
 * label and read state. Keys on the list: j / k (or ↓ / ↑) next and previous, Enter opens
 * the reply beside the list, e marks it read.
 */
import { __, _n, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { get } from '../common/api.js';
import { select, field, button } from '../common/controls.js';
import { showError, clearError } from '../common/modal.js';
import { when } from '../common/format.js';
import { REPLY_KINDS, REPLY_LABELS } from '../common/labels.js';
import { kindBadge } from '../card/replies.js';
import { setBubble } from './bubble.js';
import { showReply, markRead } from './reply-pane.js';

const PAGE_SIZE = 50;

const options = (all, labels, extra) => [
	['', all],
	...(extra || []),
	...Object.entries(labels),
];

function filterBar(ui) {
	const kind = select(
		options(__('All kinds', 'almaseo-outreach'), REPLY_KINDS)
	);
	const label = select(
		options(__('Any label', 'almaseo-outreach'), REPLY_LABELS, [
			['none', __('No label', 'almaseo-outreach')],
		])
	);
	const unread = select([
		['', __('Read and unread', 'almaseo-outreach')],
		['true', __('Unread only', 'almaseo-outreach')],
		['false', __('Read only', 'almaseo-outreach')],
	]);
	const changed = () => {
		ui.filters = {
			kind: kind.value,
			label: label.value,
			unread: unread.value,
		};
		ui.page = 1;
		load(ui);
	};
	[kind, label, unread].forEach((node) =>
		node.addEventListener('change', changed)
	);
	return h('div', { className: 'ao-inbox-filters' }, [
		field(__('Kind', 'almaseo-outreach'), 'kind', kind),
		field(__('Label', 'almaseo-outreach'), 'label', label),
		field(__('Read', 'almaseo-outreach'), 'unread', unread),
	]);
}

/**
 * One reply in the list: unread mark, sender, subject, kind and label, card, time.
 *
 * @param {Object} reply Reply with its `card` and `email`.
 * @return {window.HTMLElement} Row.
 */
export function replyRow(reply) {
	return h(
		'li',
		{
			className: 'ao-inbox-row' + (reply.read ? '' : ' is-unread'),
			role: 'option',
			tabindex: '-1',
			'aria-selected': 'false',
			dataset: {
				id: String(reply.id),
				kind: reply.kind,
				read: String(!!reply.read),
			},
		},
		[
			h('span', { className: 'ao-inbox-from', text: reply.from }),
			reply.read
				? null
				: h('span', {
						className: 'ao-badge ao-reply-unread',
						text: __('Unread', 'almaseo-outreach'),
					}),
			kindBadge(reply),
			reply.label
				? h('span', {
						className: 'ao-badge ao-reply-label',
						text: REPLY_LABELS[reply.label] || reply.label,
					})
				: null,
			h('span', { className: 'ao-inbox-subject', text: reply.subject }),
			h('span', {
				className: 'ao-inbox-meta',
				text:
					(reply.card ? reply.card.domain + ' · ' : '') +
					when(reply.received_at),
			}),
		]
	);
}

function drawList(ui) {
	clear(ui.list);
	ui.items.forEach((reply, index) => {
		const row = replyRow(reply);
		row.addEventListener('click', () => choose(ui, index, true));
		ui.list.appendChild(row);
	});
	if (!ui.items.length) {
		ui.list.appendChild(
			h('li', {
				className: 'ao-inbox-empty',
				text: __('No replies here.', 'almaseo-outreach'),
			})
		);
	}
	drawCount(ui);
	ui.more.hidden = ui.page * PAGE_SIZE >= ui.total;
}

function drawCount(ui) {
	ui.count.textContent = sprintf(
		/* translators: 1: replies shown, 2: unread replies of the site */
		_n(
			'%1$d reply, %2$d unread',
			'%1$d replies, %2$d unread',
			ui.total,
			'almaseo-outreach'
		),
		ui.total,
		ui.unread
	);
}

/**
 * Load the first page (or the next one, appended) with the filters in force.
 *
 * @param {Object}  ui   The page's state.
 * @param {boolean} more Append the next page.
 * @return {Promise} Settles when drawn.
 */
export function load(ui, more) {
	const query = { page: ui.page, page_size: PAGE_SIZE };
	Object.entries(ui.filters).forEach(([key, value]) => {
		if (value) {
			query[key] = value;
		}
	});
	return get('/replies', query)
		.then((page) => {
			clearError(ui.host);
			ui.items = more ? ui.items.concat(page.items) : page.items;
			ui.total = page.total;
			ui.unread = page.unread;
			setBubble(page.unread);
			drawList(ui);
			if (!more) {
				ui.index = -1;
				clear(ui.pane);
			}
		})
		.catch((error) => showError(ui.host, error));
}

/**
 * Select the reply at `index` (focus its row); `open` shows it beside the list.
 *
 * @param {Object}  ui    The page's state.
 * @param {number}  index Index in ui.items.
 * @param {boolean} open  Show it in the pane too.
 */
export function choose(ui, index, open) {
	const rows = ui.list.querySelectorAll('.ao-inbox-row');
	if (index < 0 || index >= rows.length) {
		return;
	}
	rows.forEach((row, i) => {
		row.setAttribute('aria-selected', String(i === index));
		row.tabIndex = i === index ? 0 : -1;
	});
	ui.index = index;
	rows[index].focus();
	if (open) {
		showReply(ui, ui.items[index]);
	}
}

function onKey(ui, event) {
	if (event.altKey || event.ctrlKey || event.metaKey) {
		return;
	}
	const key = event.key;
	const moves = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };
	if (moves[key]) {
		choose(ui, Math.max(0, ui.index + moves[key]), false);
	} else if (key === 'Enter' && ui.index >= 0) {
		choose(ui, ui.index, true);
	} else if (key === 'e' && ui.index >= 0) {
		markRead(ui, ui.items[ui.index]);
	} else {
		return;
	}
	event.preventDefault();
}

function redrawRow(ui, reply) {
	const index = ui.items.indexOf(reply);
	const old = ui.list.querySelectorAll('.ao-inbox-row')[index];
	if (old) {
		const row = replyRow(reply);
		row.addEventListener('click', () => choose(ui, index, true));
		row.setAttribute('aria-selected', old.getAttribute('aria-selected'));
		row.tabIndex = old.tabIndex;
		const focused = old === old.ownerDocument.activeElement;
		old.replaceWith(row);
		if (focused) {
			row.focus();
		}
	}
	drawCount(ui);
}

/**
 * Draw the Inbox into a screen's section.
 *
 * @param {Object} host Section handles { body, footer, error }.
 */
export function inboxPage(host) {
	const ui = {
		host,
		items: [],
		index: -1,
		page: 1,
		filters: {},
		total: 0,
		unread: 0,
	};
	ui.list = h('ul', {
		className: 'ao-inbox-list',
		role: 'listbox',
		tabindex: '0',
		'aria-label': __('Replies', 'almaseo-outreach'),
	});
	ui.pane = h('div', { className: 'ao-inbox-pane', 'aria-live': 'polite' });
	ui.count = h('p', { className: 'ao-inbox-count' });
	ui.more = button(
		__('More replies', 'almaseo-outreach'),
		() => {
			ui.page += 1;
			return load(ui, true);
		},
		'ao-inbox-more'
	);
	ui.redraw = (reply) => redrawRow(ui, reply);
	ui.list.addEventListener('keydown', (event) => onKey(ui, event));
	ui.list.addEventListener('focus', () => {
		if (ui.index < 0 && ui.items.length) {
			choose(ui, 0, false);
		}
	});
	host.body.appendChild(filterBar(ui));
	host.body.appendChild(ui.count);
	host.body.appendChild(
		h('div', { className: 'ao-inbox' }, [
			h('div', { className: 'ao-inbox-side' }, [ui.list, ui.more]),
			ui.pane,
		])
	);
	load(ui);
}
