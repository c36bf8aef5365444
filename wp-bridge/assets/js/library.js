/**
 * The library list shared by the Templates and Sequences dialogs.
 */
import { __ } from './i18n.js';
import { h, clear } from './dom.js';
import { can } from './config.js';
import { del, patch, post } from './api.js';
import { notice } from './notices.js';
import { button, showError, clearError } from './modal.js';

function listRow(title, detail, buttons, kind, id) {
	return h(
		'li',
		{ className: 'ao-library-item', dataset: { kind, id: String(id) } },
		[
			h('strong', { className: 'ao-library-name', text: title }),
			detail
				? h('span', {
						className: 'ao-library-detail',
						text: ' — ' + detail,
					})
				: null,
			h('span', { className: 'ao-library-actions' }, buttons),
		]
	);
}

/**
 * Fill a library dialog: the list of items (Edit and Delete only for holders of `cap`),
 * an empty form below it, and "New …" (same capability) and Close in the footer.
 * Returns { form, reload, save }; call reload() once the caller's edit() exists.
 *
 * @param {Object}   options          What differs between libraries:
 * @param {Object}   options.modal    Modal handles (errors are shown there).
 * @param {string}   options.kind     Machine name: data-kind of rows, class ao-new-<kind>.
 * @param {string}   options.cap      Capability to create, edit and delete.
 * @param {string}   options.path     REST collection, e.g. '/templates'.
 * @param {Function} options.load     Returns a promise of the items.
 * @param {Function} options.detail   Item → text shown after its name.
 * @param {Function} options.onEdit   Item (null for a new one) → opens the form.
 * @param {string}   options.empty    Text when there is no item.
 * @param {string}   options.newLabel Label of the "New …" button.
 * @param {string}   options.deleted  Optional success notice after a delete.
 * @return {Object} Handles.
 */
export function libraryList(options) {
	const { modal, kind, cap, path, load, detail, onEdit } = options;
	const list = h('ul', { className: 'ao-library' });
	const form = h('div', { className: 'ao-library-form' });
	modal.body.appendChild(list);
	modal.body.appendChild(form);

	const remove = (item) =>
		del(path + '/' + item.id)
			.then(() => {
				if (options.deleted) {
					notice(options.deleted, 'success');
				}
				return reload();
			})
			.catch((error) => showError(modal, error));

	const buttonsFor = (item) =>
		can(cap)
			? [
					h('button', {
						type: 'button',
						className: 'button button-small ao-edit',
						text: __('Edit', 'almaseo-outreach'),
						onClick: () => onEdit(item),
					}),
					button(
						__('Delete', 'almaseo-outreach'),
						() => remove(item),
						'button-small button-link-delete ao-delete'
					),
				]
			: [];

	const reload = () =>
		load()
			.then((items) => {
				clear(list);
				if (!items.length) {
					list.appendChild(h('li', { text: options.empty }));
				}
				items.forEach((item) =>
					list.appendChild(
						listRow(
							item.name,
							detail(item),
							buttonsFor(item),
							kind,
							item.id
						)
					)
				);
			})
			.catch((error) => showError(modal, error));

	// Why: after a save the form closes and the list shows the new state.
	const save = (item, data, message) =>
		(item ? patch(path + '/' + item.id, data) : post(path, data))
			.then(() => {
				notice(message, 'success');
				clear(form);
				clearError(modal);
				return reload();
			})
			.catch((error) => showError(modal, error));

	if (can(cap)) {
		modal.footer.appendChild(
			h('button', {
				type: 'button',
				className: 'button button-primary ao-new-' + kind,
				text: options.newLabel,
				onClick: () => onEdit(null),
			})
		);
	}
	modal.footer.appendChild(
		h('button', {
			type: 'button',
			className: 'button ao-cancel',
			text: __('Close', 'almaseo-outreach'),
			onClick: () => modal.close(),
		})
	);
	return { form, reload, save };
}
