/**
 * One step of a sequence in its editor: template, delay, stop rules and threading. Step
 * one goes out when the sequence starts, so it shows neither a delay nor a thread (CSS
 * hides them on the first row, whichever row that is after a removal).
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { input, select } from '../common/controls.js';
import { definition, limits } from '../common/form.js';
import { variantsBox } from './variants.js';

export const NEW_STEP_DELAY = 72; // hours, the service's default

// [name, label]: the stop rules, checked unless the step says false.
const STOP_RULES = [
	['stop_on_reply', __('Stop on reply', 'almaseo-outreach')],
	['stop_on_click', __('Stop on click', 'almaseo-outreach')],
	['stop_on_open', __('Stop on open', 'almaseo-outreach')],
];

function flag(name, label, checked, className) {
	const box = h('input', { type: 'checkbox', checked });
	box.name = name;
	return h('label', { className: 'ao-step-flag ' + (className || '') }, [
		box,
		' ',
		label,
	]);
}

const isFirst = (row) => !row.previousElementSibling;

// "Step 1", "Step 2"… again after a step was removed.
function renumber(list) {
	Array.from(list.children).forEach((row, i) => {
		row.querySelector('.ao-step-number').textContent = sprintf(
			/* translators: %d: step number */
			__('Step %d', 'almaseo-outreach'),
			i + 1
		);
	});
}

function delayInput(step) {
	const hours =
		step.delay_hours === undefined ? NEW_STEP_DELAY : step.delay_hours;
	const node = input('number', String(hours), {
		...limits(definition('Step', 'delay_hours')),
		className: 'small-text',
	});
	node.name = 'delay_hours';
	return node;
}

// The step's template (with variants: variant A's, which the service keeps as the step's).
function templateSelect(step, templates) {
	const node = select(
		templates.map((t) => [t.id, t.name]),
		step.template_id
	);
	node.name = 'template_id';
	return node;
}

/**
 * A step's row; `row.read()` gives the step as the service takes it (step one's delay
 * and thread mean nothing: left out, the service keeps its defaults).
 *
 * @param {Object} step      Step ({ template_id, delay_hours, … }).
 * @param {Array}  templates The site's templates.
 * @param {number} index     Its place (0: the first step).
 * @return {window.HTMLElement} Row.
 */
export function stepRow(step, templates, index) {
	const template = templateSelect(step, templates);
	const variants = variantsBox(step, templates);
	const delay = delayInput(step);
	// Why: checked, a follow-up answers the first email's thread (Re: subject).
	const thread = flag(
		'thread',
		__('Reply in the first email’s thread', 'almaseo-outreach'),
		step.thread !== 'new',
		'ao-step-thread'
	);
	const row = h('li', { className: 'ao-step' }, [
		h('strong', {
			className: 'ao-step-number',
			/* translators: %d: step number */
			text: sprintf(__('Step %d', 'almaseo-outreach'), index + 1),
		}),
		h('label', {}, [__('Template', 'almaseo-outreach'), ' ', template]),
		variants.node,
		h('span', {
			className: 'ao-step-start',
			text: __('sent when the sequence starts', 'almaseo-outreach'),
		}),
		h('label', { className: 'ao-step-delay' }, [
			__('Delay (hours)', 'almaseo-outreach'),
			' ',
			delay,
		]),
		...STOP_RULES.map(([name, label]) =>
			flag(name, label, step[name] !== false)
		),
		thread,
		h('button', {
			type: 'button',
			className: 'button-link button-link-delete ao-remove-step',
			text: __('Remove step', 'almaseo-outreach'),
			onClick: () => {
				const list = row.parentNode;
				row.remove();
				renumber(list);
			},
		}),
	]);
	const checked = (name) => row.querySelector('[name=' + name + ']').checked;
	row.read = () => ({
		template_id: parseInt(template.value, 10),
		...variants.fields(parseInt(template.value, 10)),
		...(isFirst(row)
			? {}
			: {
					delay_hours: parseFloat(delay.value || '0'),
					thread: checked('thread') ? 'reply' : 'new',
				}),
		...Object.fromEntries(
			STOP_RULES.map(([name]) => [name, checked(name)])
		),
	});
	return row;
}
