/**
 * A question asked inside a dialog before something is lost or undone: unsaved edits on
 * Escape or "New …", cancelling a scheduled email. Not window.confirm(): that one blocks
 * the whole browser, cannot be styled, and names the site instead of the action.
 */
import { __ } from './i18n.js';
import { h } from './dom.js';

/**
 * Ask a yes/no question in a dialog; "no" has the focus, Escape answers it too.
 *
 * @param {Object}             target        Dialog handles ({ dialog }).
 * @param {Object}             question      What to ask:
 * @param {string}             question.text The question.
 * @param {string}             question.yes  Label of the button that goes ahead.
 * @param {string}             question.no   Label of the button that stays.
 * @param {Function}           question.then Called after "yes".
 * @param {window.HTMLElement} question.near Where to show it (after this node); the top
 *                                           of the dialog when left out.
 */
export function ask(target, question) {
	const old = target.dialog.querySelector('.ao-confirm');
	if (old) {
		old.remove();
	}
	const before = target.dialog.ownerDocument.activeElement;
	let node = null;
	const answer = (yes) => {
		node.remove();
		if (yes) {
			question.then();
		} else if (before && before.isConnected) {
			before.focus({ preventScroll: true });
		}
	};
	const no = h('button', {
		type: 'button',
		className: 'button button-primary ao-confirm-no',
		text: question.no,
		onClick: () => answer(false),
	});
	node = h(
		'div',
		{
			className: 'ao-confirm',
			role: 'alertdialog',
			'aria-label': question.text,
		},
		[
			h('p', { className: 'ao-confirm-text', text: question.text }),
			h('button', {
				type: 'button',
				className: 'button ao-confirm-yes',
				text: question.yes,
				onClick: () => answer(true),
			}),
			no,
		]
	);
	node.answer = answer;
	const near =
		question.near || target.dialog.querySelector('.ao-modal-error');
	if (near && near.parentNode) {
		near.parentNode.insertBefore(node, near.nextSibling);
	} else {
		target.dialog.prepend(node);
	}
	no.focus({ preventScroll: true });
	node.scrollIntoView({ block: 'nearest' });
}

/**
 * Answer an open question "no" (Escape does): it goes and the focus goes back.
 *
 * @param {Object} target Dialog handles.
 * @return {boolean} Whether a question was open.
 */
export function dismiss(target) {
	const open = target.dialog.querySelector('.ao-confirm');
	if (open) {
		open.answer(false);
	}
	return Boolean(open);
}

/**
 * Go on with `then` unless the dialog holds unsaved edits (its `guard()` says so): then
 * ask first.
 *
 * @param {Object}   target Dialog handles ({ dialog, guard }).
 * @param {Function} then   What would drop the edits (close, start a new item…).
 */
export function leave(target, then) {
	if (!target.guard || !target.guard()) {
		then();
		return;
	}
	ask(target, {
		text: __('You have unsaved changes. Discard them?', 'almaseo-outreach'),
		yes: __('Discard changes', 'almaseo-outreach'),
		no: __('Keep editing', 'almaseo-outreach'),
		then,
	});
}
