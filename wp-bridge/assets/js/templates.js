/**
 * The Templates dialog (list, create, edit, delete, preview).
 */
import { __ } from './i18n.js';
import { h, clear } from './dom.js';
import { post } from './api.js';
import {
	modal as openModal,
	field,
	button,
	showError,
	clearError,
} from './modal.js';
import { MAX, input, textarea, select, loadTemplates } from './forms.js';
import { libraryList } from './library.js';
import { state } from './state.js';
import { PLACEHOLDER_HINT } from './labels.js';

const PREVIEW_CARDS = 200; // a select of a few hundred domains stays usable

/**
 * "Preview against": no card, or one of the board's cards (its values fill the preview).
 *
 * @return {Object} Field wrapper.
 */
function cardChoice() {
	const cards = Array.from(state.byId.values()).slice(0, PREVIEW_CARDS);
	return field(
		__('Preview against card', 'almaseo-outreach'),
		'opportunity_id',
		select([
			['', __('No card (placeholders stay)', 'almaseo-outreach')],
			...cards.map((c) => [String(c.id), c.domain]),
		])
	);
}

export function templatesDialog() {
	const modal = openModal(__('Templates', 'almaseo-outreach'), 'templates');
	const library = libraryList({
		modal,
		kind: 'template',
		cap: 'templates',
		path: '/templates',
		load: () => loadTemplates(true),
		detail: (t) => t.subject,
		onEdit: (t) => edit(t),
		empty: __('No templates yet.', 'almaseo-outreach'),
		newLabel: __('New template', 'almaseo-outreach'),
		deleted: __('Template deleted.', 'almaseo-outreach'),
	});
	const form = library.form;
	const edit = (template) => {
		clear(form);
		clearError(modal);
		const name = field(
			__('Name', 'almaseo-outreach'),
			'name',
			input('text', template ? template.name : '', {
				maxlength: MAX.name,
			})
		);
		const subject = field(
			__('Subject', 'almaseo-outreach'),
			'subject',
			input('text', template ? template.subject : '', {
				maxlength: MAX.subject,
			})
		);
		const body = field(
			__('Body', 'almaseo-outreach'),
			'body',
			textarea(template ? template.body : '', 8, { maxlength: MAX.body }),
			__('Plain text becomes styled HTML.', 'almaseo-outreach') +
				' ' +
				PLACEHOLDER_HINT
		);
		const preview = h('pre', {
			className: 'ao-preview-text',
			hidden: true,
		});
		// Why: the filled-in HTML in a sandboxed frame (no scripts, no same origin).
		const frame = h('iframe', {
			className: 'ao-preview-html',
			sandbox: '',
			hidden: true,
			title: __('HTML version', 'almaseo-outreach'),
		});
		const against = cardChoice();
		form.appendChild(
			h('h3', {
				text: template
					? __('Edit template', 'almaseo-outreach')
					: __('New template', 'almaseo-outreach'),
			})
		);
		[name, subject, body, against].forEach((node) =>
			form.appendChild(node)
		);
		const data = () => ({
			name: name.control.value,
			subject: subject.control.value,
			body: body.control.value,
		});
		form.appendChild(
			h('p', {}, [
				button(
					__('Save template', 'almaseo-outreach'),
					() =>
						library.save(
							template,
							data(),
							__('Template saved.', 'almaseo-outreach')
						),
					'button-primary ao-save-template'
				),
				' ',
				button(
					__('Preview', 'almaseo-outreach'),
					() =>
						post('/templates/preview', {
							subject: subject.control.value,
							body: body.control.value,
							opportunity_id: against.control.value
								? parseInt(against.control.value, 10)
								: null,
						})
							.then((result) => {
								preview.hidden = false;
								preview.textContent =
									result.subject + '\n\n' + result.text;
								frame.hidden = false;
								frame.srcdoc = result.html || '';
							})
							.catch((error) => showError(modal, error)),
					'ao-preview-button'
				),
			])
		);
		form.appendChild(preview);
		form.appendChild(frame);
		name.control.focus();
	};
	library.reload();
}
