/**
 * Dialogs and the side drawer: focus kept inside, given back where it came from.
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { focusCard } from './focus.js';
import { dismiss, leave } from './confirm.js';
import { labelFor, readable } from './api.js';

let openModal = null;

function focusables(dialog) {
	return Array.from(
		dialog.querySelectorAll(
			'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex="0"]'
		)
	).filter((node) => node.offsetParent !== null);
}

/**
 * Keep Tab and Shift+Tab inside an open dialog (it is modal).
 *
 * @param {window.HTMLElement}   dialog The dialog.
 * @param {window.KeyboardEvent} event  The Tab key event.
 */
function keepFocusInside(dialog, event) {
	const all = focusables(dialog);
	if (!all.length) {
		return;
	}
	const first = all[0];
	const last = all[all.length - 1];
	const active = dialog.ownerDocument.activeElement;
	if (event.shiftKey && (active === first || !dialog.contains(active))) {
		event.preventDefault();
		last.focus();
	} else if (
		!event.shiftKey &&
		(active === last || !dialog.contains(active))
	) {
		event.preventDefault();
		first.focus();
	}
}

/**
 * The error line, body and footer of a dialog or a screen's section.
 *
 * @param {string} prefix Class prefix of the body and footer (ao-modal, ao-panel).
 * @return {Object} { error, body, footer }.
 */
function contentParts(prefix) {
	return {
		error: h('div', {
			className: 'ao-modal-error',
			role: 'alert',
			hidden: true,
		}),
		body: h('div', { className: prefix + '-body' }),
		footer: h('div', { className: prefix + '-footer' }),
	};
}

function frame(title, name, titleId, kind) {
	const closeButton = h('button', {
		type: 'button',
		className: 'ao-modal-close button-link',
		'aria-label': __('Close', 'almaseo-outreach'),
		text: '×',
	});
	const parts = { closeButton, ...contentParts('ao-modal') };
	parts.dialog = h(
		'div',
		{
			className: 'ao-modal' + (kind === 'drawer' ? ' ao-drawer' : ''),
			role: 'dialog',
			'aria-modal': 'true',
			'aria-labelledby': titleId,
			dataset: { modal: name },
		},
		[
			h('div', { className: 'ao-modal-header' }, [
				h('h2', { id: titleId, text: title }),
				closeButton,
			]),
			parts.error,
			parts.body,
			parts.footer,
		]
	);
	return parts;
}

/**
 * The same parts as a dialog's, on a page of its own (an admin screen): no overlay, no
 * close; showError() and clearError() work on it alike.
 *
 * @param {string} name Machine name (data-panel, used by tests and CSS).
 * @return {Object} Handles { dialog, body, footer, error }.
 */
export function section(name) {
	const parts = contentParts('ao-panel');
	parts.dialog = h(
		'div',
		{ className: 'ao-panel', dataset: { panel: name } },
		[parts.error, parts.body, parts.footer]
	);
	return parts;
}

/**
 * Fill an admin screen's mount point with a section: what a screen's entry module does.
 *
 * @param {string}   id   Id of the mount point the PHP screen printed.
 * @param {string}   name Machine name of the section (data-panel).
 * @param {Function} fill Fills the section's handles { body, footer, error }.
 */
export function mountSection(id, name, fill) {
	const mount = document.getElementById(id);
	if (mount) {
		const host = section(name);
		fill(host);
		clear(mount).appendChild(host.dialog);
	}
}

/**
 * Open a modal dialog (or, with options.kind 'drawer', a side panel; with options.size
 * 'full', a dialog as tall and wide as the window allows). Returns { body, footer,
 * dialog, error, close, requestClose, guard }: close() closes; requestClose() (Escape,
 * ×, a click beside it, Cancel) first asks when `guard()` says edits are unsaved.
 *
 * @param {string} title   Title.
 * @param {string} name    Machine name (data-modal, used by tests and CSS).
 * @param {Object} options { onClose, kind, size, focus (selector), restoreFocus () => void }.
 * @return {Object} Handles.
 */
export function modal(title, name, options = {}) {
	if (openModal) {
		openModal.close();
	}
	const previous = document.body.ownerDocument.activeElement;
	const parts = frame(title, name, 'ao-modal-title-' + name, options.kind);
	const overlay = h(
		'div',
		{
			className:
				'ao-modal-overlay' +
				(options.kind === 'drawer' ? ' ao-drawer-overlay' : '') +
				// Full height: sized by the overlay's class (board.css).
				(options.size === 'full' ? ' is-full' : ''),
		},
		[parts.dialog]
	);
	const handle = {
		...parts,
		guard: null,
		requestClose: () => leave(handle, () => handle.close()),
		close() {
			overlay.remove();
			document.removeEventListener('keydown', onKey);
			openModal = null;
			if (options.onClose) {
				options.onClose();
			}
			// Why: the opener may be gone (a menu item, a redrawn card); the caller knows
			// what should have focus instead of the top of the page.
			if (options.restoreFocus) {
				options.restoreFocus();
			} else if (previous && previous.isConnected && previous.focus) {
				previous.focus({ preventScroll: true });
			}
		},
	};
	function onKey(event) {
		if (event.key === 'Escape') {
			// Escape answers an open question "no" before it closes anything.
			if (!dismiss(handle)) {
				handle.requestClose();
			}
		} else if (event.key === 'Tab') {
			keepFocusInside(parts.dialog, event);
		}
	}
	parts.closeButton.addEventListener('click', () => handle.requestClose());
	overlay.addEventListener('mousedown', (event) => {
		if (event.target === overlay) {
			handle.requestClose();
		}
	});
	document.addEventListener('keydown', onKey);
	document.body.appendChild(overlay);
	openModal = handle;
	window.setTimeout(() => focusFirst(parts, options.focus), 0);
	return handle;
}

function focusFirst(parts, selector) {
	const wanted =
		(selector && parts.dialog.querySelector(selector)) ||
		parts.dialog.querySelector(
			'input, select, textarea, button:not(.ao-modal-close)'
		);
	(wanted || parts.closeButton).focus();
}

export const isModalOpen = () => openModal !== null;

/**
 * Show an error in a dialog: one plain sentence on top naming the fields by their labels,
 * each field's reason under its control. What the person typed stays in place.
 *
 * @param {Object} target Modal handles.
 * @param {Object} error  Normalised error.
 */
export function showError(target, error) {
	clearFieldErrors(target);
	// Why: the service and WordPress word messages with field names; people know labels.
	const labels = {};
	target.dialog.querySelectorAll('[data-field]').forEach((node) => {
		labels[node.dataset.field] = node.dataset.label;
	});
	const names = Object.keys(error.fields || {});
	names.forEach((name) => {
		const wrapper = target.dialog.querySelector(
			'[data-field="' + name + '"]'
		);
		const slot = wrapper && wrapper.querySelector('.ao-field-error');
		if (slot) {
			slot.textContent = readable(error.fields[name], [name], labels);
			slot.hidden = false;
		}
	});
	const named = names.map((name) => labelFor(name, labels));
	const known = names.concat(Object.keys(labels));
	target.error.textContent =
		readable(error.raw || error.message || '', known, labels) +
		(named.length
			? ' ' +
				sprintf(
					/* translators: %s: list of field labels */
					__('Check: %s.', 'almaseo-outreach'),
					named.join(', ')
				)
			: '');
	target.error.hidden = false;
}

function clearFieldErrors(target) {
	target.dialog.querySelectorAll('.ao-field-error').forEach((node) => {
		node.hidden = true;
		node.textContent = '';
	});
}

/**
 * Take the error away: the sentence on top and every field's reason (a save that worked
 * leaves no stale error behind).
 *
 * @param {Object} target Modal handles.
 */
export function clearError(target) {
	target.error.hidden = true;
	target.error.textContent = '';
	clearFieldErrors(target);
}

/**
 * A dialog about one card, titled with its domain; closing it puts focus back on the card.
 *
 * @param {Object} card    Card.
 * @param {string} title   Translated title with one %s for the domain.
 * @param {string} name    Machine name (data-modal).
 * @param {Object} options More modal options.
 * @return {Object} Modal handles.
 */
export function cardModal(card, title, name, options) {
	return modal(sprintf(title, card.domain), name, {
		restoreFocus: () => focusCard(card.id),
		...(options || {}),
	});
}

/**
 * Fill a dialog's footer: the given buttons, then the one that closes it.
 *
 * @param {Object}               target     Modal handles.
 * @param {window.HTMLElement[]} buttons    Buttons before the closing one.
 * @param {string}               closeLabel Its label (Cancel by default).
 */
export function footer(target, buttons, closeLabel) {
	buttons.forEach((node) => target.footer.appendChild(node));
	target.footer.appendChild(
		h('button', {
			type: 'button',
			className: 'button ao-cancel',
			text: closeLabel || __('Cancel', 'almaseo-outreach'),
			onClick: () => target.requestClose(),
		})
	);
}
