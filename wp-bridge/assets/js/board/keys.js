/**
 * What a card does when clicked or used from the keyboard (delegated on each lane, since
 * cards are redrawn as the lane scrolls).
 *
 * Enter: details · Shift+F10 or the Menu key: actions · Alt+←/→: other column ·
 * Alt+↑/↓: reorder · ↑/↓: next card · Space: select · Delete: delete.
 */
import { can } from '../shared/config.js';
import { COLUMNS } from '../shared/labels.js';
import { state, visibleCards } from '../shared/state.js';
import { focusCard } from '../shared/focus.js';
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

function altMove(event, card) {
	const keys = COLUMNS.map((c) => c.key);
	const col = keys.indexOf(card.status);
	const index = state.columns[card.status].indexOf(card);
	const targets = {
		ArrowLeft: col > 0 ? { status: keys[col - 1] } : null,
		ArrowRight: col < keys.length - 1 ? { status: keys[col + 1] } : null,
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

function step(card, by) {
	const shown = visibleCards(card.status);
	const next = shown[shown.indexOf(card) + by];
	if (next) {
		focusCard(next.id);
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
		ArrowDown: () => step(card, 1),
		ArrowUp: () => step(card, -1),
		' ': () =>
			toggleSelect(card.id, !state.selected.has(card.id), event.shiftKey),
		Delete: () => can('delete') && removeDialog(card),
	};
	if (handlers[event.key]) {
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
