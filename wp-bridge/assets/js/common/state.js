/**
 * The board's one state: cards by column, the filter, the selection, and who listens.
 */
import { COLUMNS } from './labels.js';
import { sortCards } from './sorting.js';

export const state = {
	columns: {},
	byId: new Map(),
	counts: {},
	query: '',
	// The server-side view: sort and filters of GET /board (docs/api.md §20).
	view: {},
	selected: new Set(),
	dragging: null,
	etag: '',
	cursor: null,
	loaded: false,
};
COLUMNS.forEach((c) => (state.columns[c.key] = []));

const listeners = new Set();
let filtered = null;

/**
 * Call `fn(changed)` after every change; `changed` says what: 'board', 'query', 'selection'.
 *
 * @param {Function} fn Listener.
 * @return {Function} Stops listening (a panel that closes).
 */
export function subscribe(fn) {
	listeners.add(fn);
	return () => listeners.delete(fn);
}

export function emit(changed) {
	if (changed !== 'selection') {
		filtered = null;
	}
	listeners.forEach((fn) => fn(changed));
}

function remember(card) {
	// Why: lower-cased once per card version, so a keystroke filters 5,000 cards cheaply.
	card.hay = [card.source_url, card.anchor_text, card.notes, card.domain]
		.filter(Boolean)
		.join('\n')
		.toLowerCase();
	state.byId.set(card.id, card);
}

/**
 * Replace the whole board with a full answer of GET /board.
 *
 * @param {Object} board { columns, counts, cursor }.
 */
export function setBoard(board) {
	state.byId = new Map();
	COLUMNS.forEach(({ key }) => {
		state.columns[key] = (board.columns && board.columns[key]) || [];
		state.columns[key].forEach(remember);
	});
	state.counts = board.counts || {};
	state.cursor = board.cursor === undefined ? null : board.cursor;
	state.loaded = true;
	state.selected.forEach((id) => {
		if (!state.byId.has(id)) {
			state.selected.delete(id);
		}
	});
	emit('board');
}

function drop(id) {
	const old = state.byId.get(id);
	if (!old) {
		return;
	}
	const list = state.columns[old.status] || [];
	const at = list.indexOf(old);
	if (at !== -1) {
		list.splice(at, 1);
	}
	state.byId.delete(id);
}

function insertByPosition(card) {
	const list = state.columns[card.status];
	if (!list) {
		return;
	}
	let at = list.findIndex(
		(c) =>
			c.position > card.position ||
			(c.position === card.position && c.id > card.id)
	);
	at = at === -1 ? list.length : at;
	list.splice(at, 0, card);
	remember(card);
}

/**
 * Merge a delta of GET /board?since= (changed cards, removed ids, counts, cursor).
 *
 * @param {Object} delta Delta answer.
 * @return {boolean} Whether anything changed.
 */
export function applyDelta(delta) {
	const cards = delta.cards || [];
	const removed = delta.removed || [];
	cards.forEach((card) => drop(card.id));
	removed.forEach((id) => {
		drop(id);
		state.selected.delete(id);
	});
	cards.forEach(insertByPosition);
	// Why: a card moved in front of others shifts them; `order` carries their new positions.
	Object.entries(delta.order || {}).forEach(([status, pairs]) => {
		pairs.forEach(([id, position]) => {
			const card = state.byId.get(id);
			if (card && card.status === status) {
				card.position = position;
			}
		});
		sortCards(state.columns[status] || [], '');
	});
	if (sortedBy()) {
		COLUMNS.forEach(({ key }) => sortCards(state.columns[key], sortedBy()));
	}
	if (delta.counts) {
		state.counts = delta.counts;
	}
	if (delta.cursor !== undefined) {
		state.cursor = delta.cursor;
	}
	const changed =
		cards.length > 0 ||
		removed.length > 0 ||
		Object.keys(delta.order || {}).length > 0;
	if (changed) {
		emit('board');
	}
	return changed;
}

/**
 * Move a card locally the way the service does (position = index among the others).
 *
 * @param {number} id       Card id.
 * @param {string} status   Column.
 * @param {number} position Index, or undefined for the end.
 */
export function moveLocal(id, status, position) {
	const card = state.byId.get(id);
	if (!card) {
		return;
	}
	const from = state.columns[card.status];
	from.splice(from.indexOf(card), 1);
	const to = state.columns[status];
	const index =
		position === undefined || position === null
			? to.length
			: Math.max(0, Math.min(position, to.length));
	to.splice(index, 0, card);
	card.status = status;
	if (sortedBy()) {
		// Why: a sorted column shows the sort's order; board positions come with the refresh.
		sortCards(to, sortedBy());
	} else {
		[from, to].forEach((list) => list.forEach((c, i) => (c.position = i)));
	}
	state.counts = Object.fromEntries(
		COLUMNS.map(({ key }) => [key, state.columns[key].length])
	);
	emit('board');
}

export const findCard = (id) => state.byId.get(id) || null;

/**
 * The view's sort when it is not the board's own order ('' when cards are arranged by hand).
 *
 * @return {string} Sort key of GET /board, or ''.
 */
export const sortedBy = () =>
	state.view.sort && state.view.sort !== 'position' ? state.view.sort : '';

/**
 * The cards of one column that match the search, in order (cached until the next change).
 *
 * @param {string} status Column.
 * @return {Array} Cards.
 */
export function visibleCards(status) {
	if (!filtered) {
		const query = state.query.trim().toLowerCase();
		filtered = {};
		COLUMNS.forEach(({ key }) => {
			filtered[key] = query
				? state.columns[key].filter((c) => c.hay.includes(query))
				: state.columns[key];
		});
	}
	return filtered[status] || [];
}

export function setQuery(query) {
	state.query = query;
	emit('query');
}

/**
 * Set the server-side view (sort, filters); the board is loaded again from scratch.
 *
 * @param {Object} view GET /board arguments without `q` and `since`.
 */
export function setView(view) {
	state.view = view;
	state.cursor = null;
	state.etag = '';
	emit('view');
}
