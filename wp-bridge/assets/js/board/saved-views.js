/**
 * Saved views (docs/api.md §20): the person's own named searches, filters and sorts.
 * Save the current one, pick one to apply it, delete the one picked.
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { button } from '../common/controls.js';
import { del, get, post } from '../common/api.js';
import { notice } from '../common/notices.js';
import { definition, limits } from '../common/form.js';
import { setQuery, state } from '../common/state.js';
import { applyView, showView } from './view-controls.js';

let views = [];

function fillPicker(picker) {
	clear(picker);
	picker.appendChild(
		h('option', { value: '', text: __('Saved views…', 'almaseo-outreach') })
	);
	views.forEach((view) =>
		picker.appendChild(
			h('option', { value: String(view.id), text: view.name })
		)
	);
}

function load(picker) {
	return get('/views').then(
		(found) => {
			views = found || [];
			fillPicker(picker);
		},
		() => {}
	);
}

function pick(picker, controls, search) {
	const view = views.find((v) => String(v.id) === picker.value);
	if (!view) {
		return;
	}
	const { q, ...rest } = view.query || {};
	search.value = q || '';
	setQuery(q || '');
	showView(controls, rest);
	applyView(rest);
}

function save(name, picker) {
	const label = name.value.trim();
	if (!label) {
		name.focus();
		return Promise.resolve();
	}
	const query = { ...state.view };
	if (state.query.trim()) {
		query.q = state.query.trim();
	}
	return post('/views', { name: label, query }).then(
		(view) => {
			name.value = '';
			notice(
				/* translators: %s: the view's name */
				sprintf(__('View “%s” saved.', 'almaseo-outreach'), view.name),
				'success'
			);
			return load(picker).then(() => (picker.value = String(view.id)));
		},
		(error) => notice(error.message, 'error')
	);
}

function remove(picker) {
	const view = views.find((v) => String(v.id) === picker.value);
	if (!view) {
		notice(__('Pick a saved view to delete.', 'almaseo-outreach'), 'info');
		return Promise.resolve();
	}
	return del('/views/' + view.id).then(
		() => load(picker),
		(error) => notice(error.message, 'error')
	);
}

/**
 * The saved views' controls.
 *
 * @param {Object}             controls The sort and filter controls (view-controls.js).
 * @param {window.HTMLElement} search   The search box.
 * @return {window.HTMLElement} The controls.
 */
export function savedViews(controls, search) {
	const picker = h('select', { id: 'ao-views', className: 'ao-views' });
	fillPicker(picker);
	picker.addEventListener('change', () => pick(picker, controls, search));
	const name = h('input', {
		type: 'text',
		id: 'ao-view-name',
		className: 'ao-view-name',
		...limits(definition('SavedView', 'name')),
		placeholder: __('Name this view', 'almaseo-outreach'),
	});
	load(picker);
	return h('div', { className: 'ao-saved-views' }, [
		h('label', {
			for: 'ao-views',
			className: 'screen-reader-text',
			text: __('Saved views', 'almaseo-outreach'),
		}),
		picker,
		button(
			__('Delete view', 'almaseo-outreach'),
			() => remove(picker),
			'ao-view-delete'
		),
		h('label', {
			for: 'ao-view-name',
			className: 'screen-reader-text',
			text: __('View name', 'almaseo-outreach'),
		}),
		name,
		button(
			__('Save view', 'almaseo-outreach'),
			() => save(name, picker),
			'ao-view-save'
		),
	]);
}
