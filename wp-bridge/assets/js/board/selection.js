/**
 * Which cards are selected: a checkbox, Shift+click ranges among the cards shown, a
 * column's "select all".
 */
import { state, emit, visibleCards, findCard } from '../common/state.js';

let anchor = null;

/**
 * Toggle one card; with `range`, everything shown between the last clicked card and it.
 *
 * @param {number}  id    Card id.
 * @param {boolean} on    Selected or not.
 * @param {boolean} range Shift held.
 */
export function toggleSelect(id, on, range) {
	const card = findCard(id);
	if (!card) {
		return;
	}
	let ids = [id];
	const shown = visibleCards(card.status);
	const from = anchor && shown.findIndex((c) => c.id === anchor);
	if (range && anchor !== null && from !== -1) {
		const to = shown.indexOf(card);
		const [a, b] = from < to ? [from, to] : [to, from];
		ids = shown.slice(a, b + 1).map((c) => c.id);
	}
	ids.forEach((each) =>
		on ? state.selected.add(each) : state.selected.delete(each)
	);
	anchor = id;
	emit('selection');
}

export function selectColumn(status, on) {
	visibleCards(status).forEach((c) =>
		on ? state.selected.add(c.id) : state.selected.delete(c.id)
	);
	emit('selection');
}

export function clearSelection() {
	state.selected.clear();
	anchor = null;
	emit('selection');
}
