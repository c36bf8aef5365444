/**
 * A card's action menu (one at a time, keyboard operable), instead of six buttons per card.
 */
import { __ } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { can } from '../common/config.js';

let open = null;

function close(refocus) {
	if (!open) {
		return;
	}
	const { menu, opener, onKey, onDown } = open;
	open = null;
	menu.remove();
	document.removeEventListener('keydown', onKey, true);
	document.removeEventListener('mousedown', onDown, true);
	if (refocus && opener.isConnected) {
		opener.focus({ preventScroll: true });
	}
}

function items(card, actions) {
	const active = card.sequence && card.sequence.status === 'active';
	return [
		[true, __('Open details', 'almaseo-outreach'), 'details'],
		[can('send'), __('Send Email', 'almaseo-outreach'), 'send'],
		active
			? [
					can('send'),
					__('Stop Sequence', 'almaseo-outreach'),
					'stop-sequence',
				]
			: [
					can('send'),
					__('Start Sequence', 'almaseo-outreach'),
					'start-sequence',
				],
		[can('edit'), __('Move to…', 'almaseo-outreach'), 'move'],
		[true, __('History', 'almaseo-outreach'), 'history'],
		[true, __('Notes', 'almaseo-outreach'), 'notes'],
		[can('delete'), __('Delete', 'almaseo-outreach'), 'delete'],
	]
		.filter(([allowed, , key]) => allowed && actions[key])
		.map(([, label, key]) =>
			h('button', {
				type: 'button',
				role: 'menuitem',
				className:
					'ao-menu-item ao-action-' +
					key +
					(key === 'delete' ? ' is-destructive' : ''),
				text: label,
				tabindex: '-1',
				onClick: () => {
					close(false);
					actions[key](card);
				},
			})
		);
}

function place(menu, opener) {
	const box = opener.getBoundingClientRect();
	const height = menu.offsetHeight;
	const below = box.bottom + 4 + height < window.innerHeight;
	menu.style.top = (below ? box.bottom + 4 : box.top - height - 4) + 'px';
	menu.style.left =
		Math.max(
			8,
			Math.min(
				box.right - menu.offsetWidth,
				window.innerWidth - menu.offsetWidth - 8
			)
		) + 'px';
}

/**
 * Open the menu of a card next to `opener`.
 *
 * @param {Object}             card    Card.
 * @param {window.HTMLElement} opener  Element the menu belongs to (gets focus back).
 * @param {Object}             actions key → handler(card).
 */
export function openMenu(card, opener, actions) {
	close(false);
	const buttons = items(card, actions);
	const menu = h(
		'div',
		{
			className: 'ao-menu',
			role: 'menu',
			'aria-label': card.domain,
			dataset: { id: String(card.id) },
		},
		buttons
	);
	document.body.appendChild(menu);
	place(menu, opener);
	const move = (step) => {
		const at = buttons.indexOf(menu.ownerDocument.activeElement);
		buttons[(at + step + buttons.length) % buttons.length].focus();
	};
	const onKey = (event) => {
		const keys = { ArrowDown: 1, ArrowUp: -1 };
		if (event.key === 'Escape' || event.key === 'Tab') {
			event.preventDefault();
			close(true);
		} else if (keys[event.key]) {
			event.preventDefault();
			move(keys[event.key]);
		}
	};
	const onDown = (event) => {
		if (!menu.contains(event.target)) {
			close(false);
		}
	};
	document.addEventListener('keydown', onKey, true);
	document.addEventListener('mousedown', onDown, true);
	open = { menu, opener, onKey, onDown };
	buttons[0].focus();
}

export const closeMenu = () => close(false);
