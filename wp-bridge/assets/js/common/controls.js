/**
 * Form controls: inputs, a labelled field (named as the API names it, so its error lands
 * under it), and a button that runs an async action.
 */
import { h } from './dom.js';

export const input = (type, value, extra) =>
	h('input', {
		type,
		value: value || '',
		className: 'regular-text',
		...(extra || {}),
	});

export const textarea = (value, rows, extra) =>
	h('textarea', {
		rows: rows || 6,
		className: 'large-text',
		value: value || '',
		...(extra || {}),
	});

/**
 * A select of [value, label] pairs.
 *
 * @param {Array} options [value, label] pairs.
 * @param {*}     value   The chosen value (optional).
 * @return {window.HTMLElement} Select.
 */
export function select(options, value) {
	const node = h(
		'select',
		{},
		options.map(([v, label]) =>
			h('option', { value: String(v), text: label })
		)
	);
	if (value !== undefined && value !== null) {
		node.value = String(value);
	}
	return node;
}

/**
 * A labelled form field. Returns the wrapper; the control is `.control`.
 *
 * @param {string} label   Label text.
 * @param {string} name    Field name (matches the API's field for error display).
 * @param {Object} control Element (input, select, textarea).
 * @param {string} help    Optional help text.
 * @return {window.HTMLElement} Wrapper.
 */
export function field(label, name, control, help) {
	const id =
		'ao-field-' + name + '-' + Math.random().toString(36).slice(2, 8);
	control.id = id;
	control.name = name;
	const wrapper = h(
		'p',
		{ className: 'ao-field', dataset: { field: name, label } },
		[
			h('label', { for: id, text: label }),
			control,
			help ? h('span', { className: 'description', text: help }) : null,
			h('span', {
				className: 'ao-field-error',
				role: 'alert',
				hidden: true,
			}),
		]
	);
	wrapper.control = control;
	return wrapper;
}

/**
 * A button that runs an async action, disabled while it runs.
 *
 * @param {string}   label     Text.
 * @param {Function} action    Returns a promise.
 * @param {string}   className Extra classes.
 * @return {window.HTMLElement} Button.
 */
export function button(label, action, className) {
	const node = h('button', {
		type: 'button',
		className: 'button ' + (className || ''),
		text: label,
	});
	node.addEventListener('click', () => {
		if (node.disabled) {
			return;
		}
		node.disabled = true;
		Promise.resolve()
			.then(action)
			.catch(() => {})
			.then(() => {
				node.disabled = false;
			});
	});
	return node;
}

/**
 * Add an option per item ({ id, name }) to a select: templates, sequences.
 *
 * @param {window.HTMLElement} node  Select.
 * @param {Array<Object>}      items Items.
 */
export function addOptions(node, items) {
	items.forEach((item) =>
		node.appendChild(
			h('option', { value: String(item.id), text: item.name })
		)
	);
}

// A line of help below a dialog's fields.
export const description = (text) => h('p', { className: 'description', text });
