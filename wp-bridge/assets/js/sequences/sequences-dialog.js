/**
 * The Sequences dialog: the list, and an editor of a sequence's name and ordered steps.
 */
import { __, _n, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { get } from '../common/api.js';
import { button, description } from '../common/controls.js';
import { form } from '../common/form.js';
import { clearError, showError } from '../common/modal.js';
import { libraryDialog } from '../common/library.js';
import { loadTemplates } from '../templates/cache.js';
import { NEW_STEP_DELAY, stepRow } from './step-row.js';
import { experimentsButtons } from './experiments-view.js';

function stepsList(sequence, templates) {
	const steps = h('ol', {
		className: 'ao-steps',
		dataset: { field: 'steps' },
	});
	// Why "Stop on open" starts off: Apple Mail and other privacy features open every
	// email by themselves, so an open is often not a person (the service's default is on).
	const fresh = () => ({
		template_id: templates[0].id,
		delay_hours: NEW_STEP_DELAY,
		stop_on_open: false,
	});
	const initial =
		sequence && sequence.steps.length ? sequence.steps : [fresh()];
	initial.forEach((step, i) =>
		steps.appendChild(stepRow(step, templates, i))
	);
	steps.addStep = () =>
		steps.appendChild(stepRow(fresh(), templates, steps.children.length));
	steps.read = () => Array.from(steps.children).map((row) => row.read());
	return steps;
}

/**
 * Fill the library's form with a sequence (null: a new one); every step needs a template.
 *
 * @param {Object} library   The library's handles.
 * @param {Object} target    Dialog handles.
 * @param {Object} item      Sequence or null.
 * @param {Array}  templates The site's templates.
 */
function editor(library, target, item, templates) {
	const { fields, nodes } = form('Sequence', [
		{ name: 'name', label: __('Name', 'almaseo-outreach'), type: 'text' },
	]);
	fields.name.control.value = item ? item.name : '';
	const steps = stepsList(item, templates);
	const draft = () =>
		JSON.stringify([fields.name.control.value, steps.read()]);
	const drawn = draft();
	library.dirty = () => draft() !== drawn;
	const save = () =>
		library.save(
			item,
			{ name: fields.name.control.value, steps: steps.read() },
			__('Sequence saved.', 'almaseo-outreach')
		);
	library.form.append(
		h('h3', {
			text: item
				? __('Edit sequence', 'almaseo-outreach')
				: __('New sequence', 'almaseo-outreach'),
		}),
		...nodes,
		steps,
		description(
			__(
				'The first step goes out at once; each delay counts from the previous step. A bounce always stops.',
				'almaseo-outreach'
			)
		),
		description(
			__(
				'“Stop on open” starts off: Apple Mail and other privacy features open emails by themselves, so an open is often not a person.',
				'almaseo-outreach'
			)
		),
		h('p', {}, [
			h('button', {
				type: 'button',
				className: 'button ao-add-step',
				text: __('Add step', 'almaseo-outreach'),
				onClick: () => steps.addStep(),
			}),
			' ',
			button(
				__('Save sequence', 'almaseo-outreach'),
				save,
				'button-primary ao-save-sequence'
			),
		])
	);
	fields.name.control.focus();
}

function edit(library, target, item) {
	return loadTemplates(true)
		.then((templates) => {
			clear(library.form);
			clearError(target);
			if (!templates.length) {
				showError(target, {
					message: __(
						'Create a template first: every step sends one.',
						'almaseo-outreach'
					),
					fields: {},
				});
				return;
			}
			editor(library, target, item, templates);
		})
		.catch((error) => showError(target, error));
}

export function sequencesDialog() {
	libraryDialog({
		title: __('Sequences', 'almaseo-outreach'),
		kind: 'sequence',
		name: 'sequences',
		cap: 'sequences',
		path: '/sequences',
		load: () => get('/sequences'),
		detail: (s) =>
			sprintf(
				/* translators: %d: number of steps */
				_n(
					'%d step',
					'%d steps',
					(s.steps || []).length,
					'almaseo-outreach'
				),
				(s.steps || []).length
			),
		edit,
		extra: experimentsButtons,
		empty: __('No sequences yet.', 'almaseo-outreach'),
		newLabel: __('New sequence', 'almaseo-outreach'),
	});
}
