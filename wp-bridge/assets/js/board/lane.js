/**
 * One column as a virtualised lane: a fixed-height scroller that draws only the cards on
 * screen (plus a buffer), placed by index, so 5,000 cards cost what 30 do.
 *
 * A lane is one Tab stop (roving tabindex): the card last focused in it, or the first one
 * drawn, has tabindex 0 and is always drawn; every other card has -1.
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { findCard, state } from '../common/state.js';
import { renderCard } from './compact-card.js';

/** Height of one card plus its gap, in pixels (board.css sizes .ao-card to match). */
export const ROW = 82;
const BUFFER = 6;

const setStop = (node, yes) => {
	const index = yes ? 0 : -1;
	if (node.tabIndex !== index) {
		node.tabIndex = index;
	}
};

// The card focused last becomes the lane's one Tab stop.
function followFocus(lane) {
	lane.list.addEventListener('focusin', (event) => {
		const node = event.target.closest('.ao-card');
		if (node && node.card && lane.active !== node.card.id) {
			lane.active = node.card.id;
			lane.nodes.forEach((n, id) => setStop(n, id === lane.active));
		}
	});
}

function header(column, count, selectAll) {
	return h('header', { className: 'ao-column-header' }, [
		selectAll,
		h('h2', { className: 'ao-column-title', id: 'ao-col-' + column.key }, [
			column.label,
			' ',
			count,
		]),
	]);
}

/**
 * Build a lane.
 *
 * @param {Object}   column    { key, label }.
 * @param {Function} selectAll Called with (status, checked) by the header checkbox, or null.
 * @return {Object} { section, list, scroller, setCards, render, reveal, indexAt, cards }.
 */
export function createLane(column, selectAll) {
	// Why a dash: a count of 0 before the board answered would say "empty" (outages).
	const count = h('span', { className: 'ao-column-count', text: '–' });
	const box = selectAll ? selectAllBox(column, selectAll) : null;
	const list = h('ul', {
		className: 'ao-cards',
		'aria-labelledby': 'ao-col-' + column.key,
	});
	const indicator = h('div', {
		className: 'ao-drop-indicator',
		hidden: true,
	});
	const scroller = h('div', { className: 'ao-lane' }, [list, indicator]);
	const section = h(
		'section',
		{
			className: 'ao-column ao-column-' + column.key,
			dataset: { status: column.key },
		},
		[header(column, count, box), scroller]
	);
	const lane = {
		section,
		list,
		scroller,
		indicator,
		cards: [],
		nodes: new Map(),
		active: null,
		count,
		box,
	};
	renderOnScroll(lane);
	followFocus(lane);
	lane.setCards = (cards) => {
		lane.cards = cards;
		list.style.height = cards.length * ROW + 'px';
		render(lane);
	};
	lane.render = () => render(lane);
	lane.reveal = (id) => reveal(lane, id);
	lane.indexAt = (clientY) => {
		const top = list.getBoundingClientRect().top;
		const index = Math.round((clientY - top) / ROW);
		return Math.max(0, Math.min(index, lane.cards.length));
	};
	return lane;
}

function selectAllBox(column, selectAll) {
	return h('input', {
		type: 'checkbox',
		className: 'ao-select-column',
		'aria-label': sprintf(
			/* translators: %s: column name */
			__('Select all cards in %s', 'almaseo-outreach'),
			column.label
		),
		onChange: (event) => selectAll(column.key, event.target.checked),
	});
}

// Redraw once per animation frame while the lane scrolls.
function renderOnScroll(lane) {
	let frame = 0;
	lane.scroller.addEventListener('scroll', () => {
		if (!frame) {
			frame = window.requestAnimationFrame(() => {
				frame = 0;
				render(lane);
			});
		}
	});
}

const indexIn = (lane, card) => (card ? lane.cards.indexOf(card) : -1);

function focusedCard(lane) {
	const active = lane.list.ownerDocument.activeElement;
	const node =
		active && lane.list.contains(active)
			? active.closest('.ao-card')
			: null;
	return node && node.card;
}

/**
 * The indexes of the cards to draw: those on screen plus the buffer, the focused card and
 * the lane's Tab stop (kept drawn, so a redraw never drops focus or the lane's stop).
 *
 * @param {Object} lane Lane.
 * @return {number[]} Indexes, ascending.
 */
function wantedRange(lane) {
	const top = lane.scroller.scrollTop;
	const height = lane.scroller.clientHeight || 800;
	const start = Math.max(0, Math.floor(top / ROW) - BUFFER);
	const end = Math.min(
		lane.cards.length,
		Math.ceil((top + height) / ROW) + BUFFER
	);
	const wanted = [];
	for (let i = start; i < end; i++) {
		wanted.push(i);
	}
	let stop = indexIn(lane, findCard(lane.active));
	if (stop === -1) {
		// The stop left the lane (moved, deleted, filtered out): the first card drawn takes it.
		stop = start < end ? start : -1;
		lane.active = stop === -1 ? null : lane.cards[stop].id;
	}
	[indexIn(lane, focusedCard(lane)), stop].forEach((i) => {
		if (i !== -1 && (i < start || i >= end) && !wanted.includes(i)) {
			wanted.push(i);
		}
	});
	return wanted.sort((a, b) => a - b);
}

function nodeFor(lane, card, keep) {
	const selected = state.selected.has(card.id);
	const old = lane.nodes.get(card.id);
	if (old && old.card === card && old.selected === selected) {
		keep.set(card.id, old);
		return old;
	}
	const node = renderCard(card);
	node.selected = selected;
	keep.set(card.id, node);
	return node;
}

function render(lane) {
	const { list } = lane;
	const keep = new Map();
	const active = list.ownerDocument.activeElement;
	const nodes = wantedRange(lane).map((i) => {
		const node = nodeFor(lane, lane.cards[i], keep);
		node.style.top = i * ROW + 'px';
		setStop(node, node.card.id === lane.active);
		return node;
	});
	let focusId = null;
	lane.nodes.forEach((node, id) => {
		if (keep.get(id) !== node) {
			if (node.contains(active)) {
				focusId = id;
			}
			node.remove();
		}
	});
	let ref = list.firstChild;
	nodes.forEach((node) => {
		if (node === ref) {
			ref = ref.nextSibling;
		} else {
			list.insertBefore(node, ref);
		}
	});
	while (ref) {
		const next = ref.nextSibling;
		ref.remove();
		ref = next;
	}
	lane.nodes = keep;
	if (focusId !== null && keep.has(focusId)) {
		keep.get(focusId).focus({ preventScroll: true });
	}
	if (!lane.cards.length) {
		list.appendChild(h('li', { className: 'ao-empty', text: emptyText() }));
	}
}

// What an empty lane says: not loaded (yet, or the service is down) is not "no cards".
function emptyText() {
	if (!state.loaded) {
		return state.offline
			? __(
					'Cards not loaded: the service did not answer.',
					'almaseo-outreach'
				)
			: __('Loading…', 'almaseo-outreach');
	}
	return state.query.trim()
		? __('No matching cards', 'almaseo-outreach')
		: __('No cards yet', 'almaseo-outreach');
}

function reveal(lane, id) {
	const index = lane.cards.findIndex((c) => c.id === id);
	if (index === -1) {
		return null;
	}
	const { scroller } = lane;
	const top = index * ROW;
	if (
		top < scroller.scrollTop ||
		top + ROW > scroller.scrollTop + scroller.clientHeight
	) {
		scroller.scrollTop = Math.max(0, top - ROW);
	}
	render(lane);
	return lane.nodes.get(id) || null;
}

export function clearLane(lane) {
	clear(lane.list);
	lane.nodes = new Map();
}
