/**
 * The save flow every dialog shares: errors stay in the dialog with what was typed;
 * success closes it, says so and refreshes the board.
 */
import { notice } from './notices.js';
import { refresh } from './sync.js';
import { button } from './controls.js';
import { clearError, showError } from './modal.js';

/**
 * Run a save from a dialog.
 *
 * @param {Object}          target  Modal handles.
 * @param {Function}        save    Returns a promise.
 * @param {string|Function} message Success notice, or one made from the answer.
 * @return {Promise} Done.
 */
export function submit(target, save, message) {
	clearError(target);
	return save()
		.then((result) => {
			target.close();
			const text =
				typeof message === 'function' ? message(result) : message;
			if (text) {
				notice(text, 'success');
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
 * @param {Object}          target    Modal handles.
 * @param {string}          label     Text.
 * @param {Function}        save      Returns a promise.
 * @param {string|Function} message   Success notice, or one made from the answer.
 * @param {string}          className Classes; 'button-primary ao-save' by default.
 * @return {window.HTMLElement} Button.
 */
export function saveButton(target, label, save, message, className) {
	return button(
		label,
		() => submit(target, save, message),
		className || 'button-primary ao-save'
	);
}
