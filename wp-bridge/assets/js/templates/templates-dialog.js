/**
 * The Templates dialog: the list, and a form to create or edit one with a preview filled
 * in for a chosen card.
 */
import { __ } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { post } from '../common/api.js';
import { state } from '../common/state.js';
import { PLACEHOLDER_HINT } from '../common/labels.js';
import { button } from '../common/controls.js';
import { form } from '../common/form.js';
import { clearError, showError } from '../common/modal.js';
import { libraryDialog } from '../common/library.js';
import { htmlFrame } from '../send/preview.js';
import { loadTemplates } from './cache.js';

const PREVIEW_CARDS = 200; // a select of a few hundred domains stays usable

const templateFields = () => [
	{ name: 'name', label: __('Name', 'almaseo-outreach'), type: 'text' },
	{ name: 'subject', label: __('Subject', 'almaseo-outreach'), type: 'text' },
	{
		name: 'body',
		label: __('Body', 'almaseo-outreach'),
		type: 'textarea',
		rows: 8,
		help:
			__('Plain text becomes styled HTML.', 'almaseo-outreach') +
			' ' +
			PLACEHOLDER_HINT,
	},
	// "Preview against": no card, or one of the board's (its values fill the preview).
	{
		name: 'opportunity_id',
		label: __('Preview against card', 'almaseo-outreach'),
		type: 'select',
		track: false, // not part of the template
		options: () => [
			['', __('No card (placeholders stay)', 'almaseo-outreach')],
			...Array.from(state.byId.values())
				.slice(0, PREVIEW_CARDS)
				.map((c) => [String(c.id), c.domain]),
		],
	},
];

/**
 * The Preview button: the filled-in text in `out.text`, the HTML in `out.frame`.
 *
 * @param {Object} fields The form's fields.
 * @param {Object} out    { text, frame } elements.
 * @param {Object} target Dialog handles (errors).
 * @return {window.HTMLElement} Button.
 */
function previewButton(fields, out, target) {
	const show = () =>
		post('/templates/preview', {
			subject: fields.subject.control.value,
			body: fields.body.control.value,
			opportunity_id: fields.opportunity_id.control.value
				? parseInt(fields.opportunity_id.control.value, 10)
				: null,
		})
			.then((result) => {
				out.text.hidden = false;
				out.text.textContent = result.subject + '\n\n' + result.text;
				out.frame.hidden = false;
				out.frame.srcdoc = result.html || '';
			})
			.catch((error) => showError(target, error));
	return button(__('Preview', 'almaseo-outreach'), show, 'ao-preview-button');
}

/**
 * Fill the library's form with a template (null: a new one).
 *
 * @param {Object} library The library's handles.
 * @param {Object} target  Dialog handles.
 * @param {Object} item    Template or null.
 */
function edit(library, target, item) {
	clear(library.form);
	clearError(target);
	const { fields, nodes, values, fill, changed } = form(
		'Template',
		templateFields()
	);
	fill(item || {});
	library.dirty = changed;
	const out = {
		text: h('pre', { className: 'ao-preview-text', hidden: true }),
		frame: htmlFrame(true),
	};
	const save = () => {
		const { name, subject, body } = values();
		const saved = __('Template saved.', 'almaseo-outreach');
		return library.save(item, { name, subject, body }, saved);
	};
	library.form.append(
		h('h3', {
			text: item
				? __('Edit template', 'almaseo-outreach')
				: __('New template', 'almaseo-outreach'),
		}),
		...nodes,
		h('p', {}, [
			button(
				__('Save template', 'almaseo-outreach'),
				save,
				'button-primary ao-save-template'
			),
			' ',
			previewButton(fields, out, target),
		]),
		out.text,
		out.frame
	);
	fields.name.control.focus();
}

export function templatesDialog() {
	libraryDialog({
		title: __('Templates', 'almaseo-outreach'),
		kind: 'template',
		name: 'templates',
		cap: 'templates',
		path: '/templates',
		load: () => loadTemplates(true),
		detail: (t) => t.subject,
		edit,
		empty: __('No templates yet.', 'almaseo-outreach'),
		newLabel: __('New template', 'almaseo-outreach'),
		deleted: __('Template deleted.', 'almaseo-outreach'),
	});
}
