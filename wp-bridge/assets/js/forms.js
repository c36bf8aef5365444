/**
 * Form controls and the save flow every dialog shares.
 */
import { __, sprintf } from './i18n.js';
import { h } from './dom.js';
import { get } from './api.js';
import { notice } from './notices.js';
import { modal, button, clearError, showError } from './modal.js';
import { refresh } from './sync.js';
import { focusCard } from './focus.js';

/** Limits of the service's fields (contract section 3), enforced before typing goes too far. */
export const MAX = {
	url: 2000,
	anchor_text: 500,
	email: 320,
	notes: 20000,
	name: 200,
	subject: 998,
	body: 100000,
};

export const input = (type, value, extra) =>
	h('input', {
		type,
		value: value || '',
		className: 'regular-text',
		...(extra || {}),
	});

export const textarea = (value, rows, extra) =>
	h('textarea', {
		rows: rows || 6,
		className: 'large-text',
		value: value || '',
		...(extra || {}),
	});

export const orNull = (value) => (value.trim() === '' ? null : value.trim());

export function select(options, value) {
	const node = h(
		'select',
		{},
		options.map(([v, label]) =>
			h('option', { value: String(v), text: label })
		)
	);
	if (value !== undefined && value !== null) {
		node.value = String(value);
	}
	return node;
}

/**
 * Run a save from a dialog: errors stay in the dialog, success closes it and refreshes.
 *
 * @param {Object}   target  Modal handles.
 * @param {Function} save    Returns a promise.
 * @param {string}   message Success notice.
 * @return {Promise} Done.
 */
export function submit(target, save, message) {
	clearError(target);
	return save()
		.then((result) => {
			target.close();
			if (message) {
				notice(message, 'success');
			}
			return refresh().then(() => result);
		})
		.catch((error) => {
			showError(target, error);
			throw error;
		});
}

/**
 * A dialog's primary button: saves through submit(), so errors stay in the dialog.
 *
 * @param {Object}   target    Modal handles.
 * @param {string}   label     Text.
 * @param {Function} save      Returns a promise.
 * @param {string}   message   Success notice.
 * @param {string}   className Classes; 'button-primary ao-save' by default.
 * @return {window.HTMLElement} Button.
 */
export function saveButton(target, label, save, message, className) {
	return button(
		label,
		() => submit(target, save, message),
		className || 'button-primary ao-save'
	);
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

export function footer(target, buttons, closeLabel) {
	buttons.forEach((node) => target.footer.appendChild(node));
	target.footer.appendChild(
		h('button', {
			type: 'button',
			className: 'button ao-cancel',
			text: closeLabel || __('Cancel', 'almaseo-outreach'),
			onClick: () => target.close(),
		})
	);
}

let templatesCache = null;
export function loadTemplates(fresh) {
	if (!templatesCache || fresh) {
		templatesCache = get('/templates').catch((error) => {
			templatesCache = null;
			throw error;
		});
	}
	return templatesCache;
}
