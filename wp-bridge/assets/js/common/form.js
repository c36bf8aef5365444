/**
 * Forms described as data, drawn by one renderer.
 *
 * A form is a list of fields, each { name, label, type, help, rows, options, value,
 * required, trim, attrs, schema }: `name` is the API's field name (its error lands under
 * it), `type` one of text, url, email, number, time, datetime-local, textarea, select,
 * checkbox; `schema` names another request schema than the form's, or is false for a
 * control that is not one field's value (a box of many addresses). What the service allows (maxlength, min, max) and how a value is read (a
 * number, null for an empty nullable line) come from the field's definition in
 * common/fields.js, written from schemas/openapi.json: no limit is written in a form.
 * A textarea's text is sent as typed; `trim` trims a line that may not be null.
 * `changed()` says whether the person edited the form since it was drawn, filled or
 * `settle()`d (a saved form); a field with `track: false` (a preview's card, a "When")
 * is not an edit to keep.
 */
import { FIELDS } from './fields.js';
import { h } from './dom.js';
import { field, input, select, textarea } from './controls.js';

/**
 * A field's definition in one of the service's request schemas ({} when it has none:
 * a control of the dialog's own, like "When").
 *
 * @param {string} schema Schema name, e.g. 'Opportunity'.
 * @param {string} name   Field name.
 * @return {Object} { type, nullable, format, maxLength, minimum, maximum }.
 */
export function definition(schema, name) {
	return (FIELDS[schema] && FIELDS[schema][name]) || {};
}

/**
 * The input attributes that hold a definition's limits.
 *
 * @param {Object} def Definition.
 * @return {Object} Attributes (maxlength, min, max, step).
 */
export function limits(def) {
	const attrs = {};
	if (def.maxLength !== undefined) {
		attrs.maxlength = def.maxLength;
	}
	if (def.minimum !== undefined) {
		attrs.min = def.minimum;
	}
	if (def.maximum !== undefined) {
		attrs.max = def.maximum;
	}
	if (def.type === 'number') {
		attrs.step = 'any'; // fractions of hours are allowed
	}
	return attrs;
}

export const orNull = (value) => (value.trim() === '' ? null : value.trim());

function control(spec, def) {
	const attrs = { ...limits(def), ...(spec.attrs || {}) };
	if (spec.required) {
		attrs.required = true;
	}
	if (spec.type === 'textarea') {
		return textarea('', spec.rows, attrs);
	}
	if (spec.type === 'select') {
		const options =
			typeof spec.options === 'function' ? spec.options() : spec.options;
		return select(options || [], spec.value);
	}
	if (spec.type === 'checkbox') {
		return input('checkbox', '', { className: '', ...attrs });
	}
	return input(spec.type, spec.value, attrs);
}

/**
 * A control's value as the service wants it.
 *
 * @param {Object}             spec    Field description.
 * @param {Object}             def     Its definition.
 * @param {window.HTMLElement} element The control.
 * @return {*} Value.
 */
function read(spec, def, element) {
	const value = element.value;
	if (spec.type === 'checkbox') {
		return element.checked;
	}
	if (spec.type === 'textarea') {
		return value; // several lines of text, kept as typed
	}
	if (def.nullable && value.trim() === '' && def.type !== 'string') {
		return null; // an emptied number that may be null (a metric)
	}
	if (def.type === 'integer') {
		return parseInt(value, 10);
	}
	if (def.type === 'number') {
		return parseFloat(value);
	}
	if (def.nullable) {
		return orNull(value);
	}
	return spec.trim ? value.trim() : value;
}

function write(element, value) {
	if (element.type === 'checkbox') {
		element.checked = Boolean(value);
		return;
	}
	const text = value === null || value === undefined ? '' : String(value);
	// Why: a select keeps a stored value it does not list (an older time zone name).
	if (
		element.tagName === 'SELECT' &&
		text &&
		!Array.from(element.options).some((o) => o.value === text)
	) {
		element.appendChild(h('option', { value: text, text }));
	}
	element.value = text;
}

/**
 * Draw a form.
 *
 * @param {string} schema  The request schema its fields belong to (a field's own
 *                         `schema` wins).
 * @param {Array}  specs   Field descriptions, in order.
 * @param {Object} options { readOnly }: every control read-only.
 * @return {Object} { fields: name → wrapper (`.control`), nodes, values(), fill(data),
 *                  changed(), settle() }.
 */
export function form(schema, specs, options = {}) {
	const fields = {};
	const defs = {};
	specs.forEach((spec) => {
		defs[spec.name] =
			spec.schema === false
				? {}
				: definition(spec.schema || schema, spec.name);
		fields[spec.name] = field(
			spec.label,
			spec.name,
			control(spec, defs[spec.name]),
			spec.help
		);
		fields[spec.name].control.readOnly = Boolean(options.readOnly);
	});
	const valuesOf = (list) =>
		Object.fromEntries(
			list.map((spec) => [
				spec.name,
				read(spec, defs[spec.name], fields[spec.name].control),
			])
		);
	const tracked = specs.filter((spec) => spec.track !== false);
	const snapshot = () => JSON.stringify(valuesOf(tracked));
	let kept = snapshot();
	return {
		fields,
		nodes: specs.map((spec) => fields[spec.name]),
		values: () => valuesOf(specs),
		fill: (data) => {
			specs
				.filter((spec) => spec.name in data)
				.forEach((spec) =>
					write(fields[spec.name].control, data[spec.name])
				);
			kept = snapshot();
		},
		changed: () => snapshot() !== kept,
		settle: () => {
			kept = snapshot();
		},
	};
}
