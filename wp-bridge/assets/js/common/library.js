/**
 * A library dialog (Templates, Sequences): a full-height dialog with the list of items
 * (Edit and Delete for holders of its capability) beside the form, and "New …" in the
 * footer. Starting another item, or closing, asks first while the form holds unsaved
 * edits (`library.dirty()`, set by the form's editor).
 */
import { __ } from './i18n.js';
import { h, clear } from './dom.js';
import { can } from './config.js';
import { del, patch, post } from './api.js';
import { notice } from './notices.js';
import { button } from './controls.js';
import { modal, showError, clearError, footer } from './modal.js';
import { leave } from './confirm.js';

function listRow(item, options, buttons) {
	const detail = options.detail(item);
	return h(
		'li',
		{
			className: 'ao-library-item',
			dataset: { kind: options.kind, id: String(item.id) },
		},
		[
			h('strong', { className: 'ao-library-name', text: item.name }),
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

function itemButtons(library, item) {
	const { options, target } = library;
	// Why before the capability check: views such as Experiments need only `view`.
	const extra = options.extra ? options.extra(library, item) : [];
	if (!can(options.cap)) {
		return extra;
	}
	const remove = () =>
		del(options.path + '/' + item.id)
			.then(() => {
				if (options.deleted) {
					notice(options.deleted, 'success');
				}
				return library.reload();
			})
			.catch((error) => showError(target, error));
	return [
		...extra,
		h('button', {
			type: 'button',
			className: 'button button-small ao-edit',
			text: __('Edit', 'almaseo-outreach'),
			onClick: () =>
				leave(target, () => options.edit(library, target, item)),
		}),
		button(
			__('Delete', 'almaseo-outreach'),
			remove,
			'button-small button-link-delete ao-delete'
		),
	];
}

/**
 * Open a library dialog.
 *
 * @param {Object}   options          What differs between libraries:
 * @param {string}   options.title    Dialog title.
 * @param {string}   options.name     Machine name of the dialog (data-modal).
 * @param {string}   options.kind     data-kind of rows, class ao-new-<kind>.
 * @param {string}   options.cap      Capability to create, edit and delete.
 * @param {string}   options.path     REST collection, e.g. '/templates'.
 * @param {Function} options.load     Returns a promise of the items.
 * @param {Function} options.detail   Item → text shown after its name.
 * @param {Function} options.edit     (library, target, item or null) → fills library.form.
 * @param {string}   options.empty    Text when there is no item.
 * @param {string}   options.newLabel Label of the "New …" button.
 * @param {string}   options.deleted  Optional success notice after a delete.
 * @param {Function} options.extra    Optional (library, item) → more buttons of a row.
 */
export function libraryDialog(options) {
	const target = modal(options.title, options.name, { size: 'full' });
	const list = h('ul', { className: 'ao-library' });
	const library = {
		options,
		target,
		form: h('div', { className: 'ao-library-form' }),
		dirty: null,
	};
	target.guard = () => Boolean(library.dirty && library.dirty());
	library.reload = () =>
		options
			.load()
			.then((items) => {
				clear(list);
				if (!items.length) {
					list.appendChild(h('li', { text: options.empty }));
				}
				items.forEach((item) =>
					list.appendChild(
						listRow(item, options, itemButtons(library, item))
					)
				);
			})
			.catch((error) => showError(target, error));
	// Why: after a save the form closes and the list shows the new state.
	library.save = (item, data, message) =>
		(item
			? patch(options.path + '/' + item.id, data)
			: post(options.path, data)
		)
			.then((saved) => {
				notice(message, 'success');
				// Why: a sequence saves with what cannot go as set (a follow-up sooner
				// than the cooldown); the person is told now, not surprised later.
				((saved && saved.warnings) || []).forEach((w) =>
					notice(w.message, 'warning')
				);
				clear(library.form);
				library.dirty = null;
				clearError(target);
				return library.reload();
			})
			.catch((error) => showError(target, error));
	target.body.append(
		h('div', { className: 'ao-library-layout' }, [list, library.form])
	);
	const create = h('button', {
		type: 'button',
		className: 'button button-primary ao-new-' + options.kind,
		text: options.newLabel,
		onClick: () => leave(target, () => options.edit(library, target, null)),
	});
	footer(
		target,
		can(options.cap) ? [create] : [],
		__('Close', 'almaseo-outreach')
	);
	library.reload();
}
