/**
 * Drag and drop between lanes. The drop index is read among the cards shown (which may be
 * filtered) and turned into a position in the whole column, so a drop while searching lands
 * where it was shown.
 */
import { state, visibleCards } from '../common/state.js';
import { ROW } from './lane.js';
import { moveCard } from './move-card.js';

/**
 * Where a drop at shown-index `k` of `status` lands in the whole column.
 *
 * @param {string} status Column.
 * @param {number} k      Index among the shown cards (before removing the dragged one).
 * @param {number} id     Dragged card.
 * @return {number|undefined} Position among the column's other cards (undefined: the end).
 */
export function dropPosition(status, k, id) {
	const shown = visibleCards(status).filter((c) => c.id !== id);
	const all = state.columns[status].filter((c) => c.id !== id);
	const before = visibleCards(status).slice(0, k);
	const index = before.filter((c) => c.id !== id).length;
	if (index < shown.length) {
		return all.indexOf(shown[index]);
	}
	if (!shown.length) {
		return undefined;
	}
	return all.indexOf(shown[shown.length - 1]) + 1;
}

/**
 * Make a lane a drop target.
 *
 * @param {Object} lane   Lane.
 * @param {string} status Column.
 */
export function bindDrop(lane, status) {
	const { scroller, indicator } = lane;
	const hide = () => {
		scroller.classList.remove('is-drop-target');
		indicator.hidden = true;
	};
	scroller.addEventListener('dragover', (event) => {
		if (state.dragging === null) {
			return;
		}
		event.preventDefault();
		event.dataTransfer.dropEffect = 'move';
		scroller.classList.add('is-drop-target');
		indicator.hidden = false;
		indicator.style.top = lane.indexAt(event.clientY) * ROW - 4 + 'px';
	});
	scroller.addEventListener('dragleave', (event) => {
		if (!scroller.contains(event.relatedTarget)) {
			hide();
		}
	});
	scroller.addEventListener('drop', (event) => {
		event.preventDefault();
		hide();
		const id =
			state.dragging ||
			parseInt(event.dataTransfer.getData('text/plain'), 10);
		state.dragging = null;
		if (!id) {
			return;
		}
		const k = lane.indexAt(event.clientY);
		moveCard(id, status, dropPosition(status, k, id), false);
	});
}

/**
 * Start drags from the cards of a list (delegated: cards are redrawn as they scroll).
 *
 * @param {window.HTMLElement} list The lane's list.
 */
export function bindDrag(list) {
	list.addEventListener('dragstart', (event) => {
		const node = event.target.closest && event.target.closest('.ao-card');
		if (!node || !node.card) {
			return;
		}
		state.dragging = node.card.id;
		node.classList.add('is-dragging');
		event.dataTransfer.effectAllowed = 'move';
		event.dataTransfer.setData('text/plain', String(node.card.id));
	});
	list.addEventListener('dragend', (event) => {
		const node = event.target.closest && event.target.closest('.ao-card');
		if (node) {
			node.classList.remove('is-dragging');
		}
		state.dragging = null;
	});
}
