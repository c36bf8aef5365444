/**
 * The Sequences dialog (list, create, edit steps, delete).
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { get } from './api.js';
import {
	modal as openModal,
	field,
	button,
	showError,
	clearError,
} from './modal.js';
import { input, select, loadTemplates } from './forms.js';
import { libraryList } from './library.js';

function stepRow(step, templates, index) {
	const template = select(
		templates.map((t) => [t.id, t.name]),
		step.template_id
	);
	template.name = 'template_id';
	const delay = input(
		'number',
		String(step.delay_hours === undefined ? 72 : step.delay_hours),
		{ min: 0, step: 'any', className: 'small-text' }
	);
	delay.name = 'delay_hours';
	const flag = (key, label) => {
		const box = h('input', {
			type: 'checkbox',
			checked: step[key] !== false,
		});
		box.name = key;
		return h('label', { className: 'ao-step-flag' }, [box, ' ', label]);
	};
	const thread = h('input', {
		type: 'checkbox',
		checked: step.thread !== 'new',
	});
	thread.name = 'thread';
	const row = h('li', { className: 'ao-step' }, [
		h('strong', {
			className: 'ao-step-number',
			text: sprintf(
				/* translators: %d: step number */ __(
					'Step %d',
					'almaseo-outreach'
				),
				index + 1
			),
		}),
		h('label', {}, [__('Template', 'almaseo-outreach'), ' ', template]),
		h('label', {}, [__('Delay (hours)', 'almaseo-outreach'), ' ', delay]),
		flag('stop_on_reply', __('Stop on reply', 'almaseo-outreach')),
		flag('stop_on_click', __('Stop on click', 'almaseo-outreach')),
		flag('stop_on_open', __('Stop on open', 'almaseo-outreach')),
		// Why: checked, a follow-up answers the first email's thread (Re: subject).
		h('label', { className: 'ao-step-flag' }, [
			thread,
			' ',
			__('Reply in the first email’s thread', 'almaseo-outreach'),
		]),
		h('button', {
			type: 'button',
			className: 'button-link button-link-delete ao-remove-step',
			text: __('Remove step', 'almaseo-outreach'),
			onClick: () => row.remove(),
		}),
	]);
	row.read = () => ({
		template_id: parseInt(template.value, 10),
		delay_hours: parseFloat(delay.value || '0'),
		stop_on_reply: row.querySelector('[name=stop_on_reply]').checked,
		stop_on_click: row.querySelector('[name=stop_on_click]').checked,
		stop_on_open: row.querySelector('[name=stop_on_open]').checked,
		thread: thread.checked ? 'reply' : 'new',
	});
	return row;
}

export function sequencesDialog() {
	const modal = openModal(__('Sequences', 'almaseo-outreach'), 'sequences');
	const library = libraryList({
		modal,
		kind: 'sequence',
		cap: 'sequences',
		path: '/sequences',
		load: () => get('/sequences'),
		detail: (s) =>
			sprintf(
				/* translators: %d: number of steps */
				__('%d steps', 'almaseo-outreach'),
				(s.steps || []).length
			),
		onEdit: (s) => edit(s),
		empty: __('No sequences yet.', 'almaseo-outreach'),
		newLabel: __('New sequence', 'almaseo-outreach'),
	});
	const form = library.form;
	const edit = (sequence) =>
		loadTemplates(true)
			.then((templates) => {
				clear(form);
				clearError(modal);
				if (!templates.length) {
					showError(modal, {
						message: __(
							'Create a template first: every step sends one.',
							'almaseo-outreach'
						),
						fields: {},
					});
					return;
				}
				const name = field(
					__('Name', 'almaseo-outreach'),
					'name',
					input('text', sequence ? sequence.name : '')
				);
				const steps = h('ol', {
					className: 'ao-steps',
					dataset: { field: 'steps' },
				});
				const initial =
					sequence && sequence.steps.length
						? sequence.steps
						: [
								{
									template_id: templates[0].id,
									delay_hours: 72,
								},
							];
				initial.forEach((step, i) =>
					steps.appendChild(stepRow(step, templates, i))
				);
				form.appendChild(
					h('h3', {
						text: sequence
							? __('Edit sequence', 'almaseo-outreach')
							: __('New sequence', 'almaseo-outreach'),
					})
				);
				form.appendChild(name);
				form.appendChild(steps);
				form.appendChild(
					h('p', {
						className: 'description',
						text: __(
							'The first step goes out at once; each delay counts from the previous step. A bounce always stops.',
							'almaseo-outreach'
						),
					})
				);
				const data = () => ({
					name: name.control.value,
					steps: Array.from(steps.children).map((row) => row.read()),
				});
				form.appendChild(
					h('p', {}, [
						h('button', {
							type: 'button',
							className: 'button ao-add-step',
							text: __('Add step', 'almaseo-outreach'),
							onClick: () =>
								steps.appendChild(
									stepRow(
										{
											template_id: templates[0].id,
											delay_hours: 72,
										},
										templates,
										steps.children.length
									)
								),
						}),
						' ',
						button(
							__('Save sequence', 'almaseo-outreach'),
							() =>
								library.save(
									sequence,
									data(),
									__('Sequence saved.', 'almaseo-outreach')
								),
							'button-primary ao-save-sequence'
						),
					])
				);
				name.control.focus();
			})
			.catch((error) => showError(modal, error));
	library.reload();
}
