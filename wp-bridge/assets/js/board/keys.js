/**
 * What a card does when clicked or used from the keyboard (delegated on each lane, since
 * cards are redrawn as the lane scrolls).
 *
 * Enter: details · Shift+F10 or the Menu key: actions · ↑/↓: next card · Home/End: first
 * and last card · PageUp/PageDown: a lane's height of cards · ←/→: the card beside it in
 * the next column that has cards · Alt+←/→: move to the top of the next column (as a drag
 * to its top would) · Alt+↑/↓: reorder · Space: select · Delete: delete.
 */
import { can } from '../common/config.js';
import { COLUMNS } from '../common/labels.js';
import { state, visibleCards } from '../common/state.js';
import { focusCard } from '../common/focus.js';
import { removeDialog } from '../card/delete-dialog.js';
import { historyDialog } from '../card/history.js';
import { moveDialog } from '../card/move-dialog.js';
import { notesDialog } from '../card/notes-dialog.js';
import { openDetail } from '../card/panel.js';
import { sendDialog } from '../send/send-dialog.js';
import {
	startSequenceDialog,
	stopSequenceDialog,
} from '../sequences/enrolment.js';
import { openMenu } from './menu.js';
import { dropPosition } from './dnd.js';
import { ROW } from './lane.js';
import { moveCard } from './move-card.js';
import { toggleSelect } from './selection.js';

// What each entry of a card's menu opens (board/menu.js lists them).
export const ACTIONS = {
	details: openDetail,
	send: sendDialog,
	'start-sequence': startSequenceDialog,
	'stop-sequence': stopSequenceDialog,
	move: moveDialog,
	history: historyDialog,
	notes: notesDialog,
	delete: removeDialog,
};

const KEYS = COLUMNS.map((c) => c.key);

const laneOf = (status) =>
	document.querySelector('.ao-column[data-status="' + status + '"] .ao-lane');

function altMove(event, card) {
	const col = KEYS.indexOf(card.status);
	const index = state.columns[card.status].indexOf(card);
	const top = (status) => ({
		status,
		position: dropPosition(status, 0, card.id),
	});
	const targets = {
		ArrowLeft: col > 0 ? top(KEYS[col - 1]) : null,
		ArrowRight: col < KEYS.length - 1 ? top(KEYS[col + 1]) : null,
		ArrowUp:
			index > 0 ? { status: card.status, position: index - 1 } : null,
		ArrowDown: { status: card.status, position: index + 1 },
	};
	const target = targets[event.key];
	if (target && can('edit')) {
		event.preventDefault();
		moveCard(card.id, target.status, target.position, true);
	}
}

// Focus the shown card at `index` of a column (clamped to its ends).
function focusAt(status, index) {
	const shown = visibleCards(status);
	if (shown.length) {
		focusCard(shown[Math.max(0, Math.min(index, shown.length - 1))].id);
	}
}

// Where ↑/↓, Home/End and PageUp/PageDown lead inside the card's column.
function within(card, key) {
	const shown = visibleCards(card.status);
	const at = shown.indexOf(card);
	const lane = laneOf(card.status);
	const page = Math.max(1, Math.floor((lane ? lane.clientHeight : 0) / ROW));
	return {
		ArrowDown: at + 1,
		ArrowUp: at - 1,
		Home: 0,
		End: shown.length - 1,
		PageDown: at + page,
		PageUp: at - page,
	}[key];
}

// ←/→: the card on the same row of the view in the next column (either way) with cards.
function across(card, by) {
	const from = laneOf(card.status);
	const offset =
		visibleCards(card.status).indexOf(card) * ROW -
		(from ? from.scrollTop : 0);
	for (let col = KEYS.indexOf(card.status) + by; KEYS[col]; col += by) {
		if (visibleCards(KEYS[col]).length) {
			const to = laneOf(KEYS[col]);
			const row = Math.round(((to ? to.scrollTop : 0) + offset) / ROW);
			focusAt(KEYS[col], row);
			return;
		}
	}
}

function onKey(event, node) {
	const card = node.card;
	if (event.altKey) {
		altMove(event, card);
		return;
	}
	const menuButton = node.querySelector('.ao-card-menu-button');
	const handlers = {
		Enter: () => openDetail(card),
		ContextMenu: () => openMenu(card, menuButton, ACTIONS),
		F10: () => event.shiftKey && openMenu(card, menuButton, ACTIONS),
		ArrowLeft: () => across(card, -1),
		ArrowRight: () => across(card, 1),
		' ': () =>
			toggleSelect(card.id, !state.selected.has(card.id), event.shiftKey),
		Delete: () => can('delete') && removeDialog(card),
	};
	const to = within(card, event.key);
	if (to !== undefined) {
		event.preventDefault();
		focusAt(card.status, to);
	} else if (handlers[event.key]) {
		event.preventDefault();
		handlers[event.key]();
	}
}

function onClick(event, node) {
	const card = node.card;
	const target = event.target;
	if (target.classList.contains('ao-card-select')) {
		toggleSelect(card.id, target.checked, event.shiftKey);
	} else if (target.closest('.ao-card-menu-button')) {
		openMenu(card, node, ACTIONS);
	} else if (!target.closest('a')) {
		openDetail(card);
	}
}

/**
 * Delegate card clicks and keys on one lane's list.
 *
 * @param {window.HTMLElement} list The lane's list.
 */
export function bindCards(list) {
	list.addEventListener('click', (event) => {
		const node = event.target.closest('.ao-card');
		if (node && node.card) {
			onClick(event, node);
		}
	});
	list.addEventListener('keydown', (event) => {
		const node = event.target.closest('.ao-card');
		if (node && node.card && event.target === node) {
			onKey(event, node);
		}
	});
}
