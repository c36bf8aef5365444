/**
 * A step's A/B variants in the sequence editor (docs/api.md §18): "Add variant" puts a
 * template picker and a weight under the step; with at least one, the step's own
 * template is variant A and shows its weight too. The service splits enrolments by the
 * weights and judges the variants on human replies (the Experiments view).
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { input, select } from '../common/controls.js';
import { definition, limits } from '../common/form.js';

export const MAX_VARIANTS = 5; // the service's limit, the step's template included

export const letter = (index) => String.fromCharCode(65 + index);

export function weightInput(weight) {
	const node = input('number', String(weight || 1), {
		...limits(definition('Variant', 'weight')),
		className: 'small-text ao-variant-weight',
	});
	node.name = 'weight';
	return node;
}

function variantRow(variant, templates, onRemove) {
	const template = select(
		templates.map((t) => [t.id, t.name]),
		variant.template_id
	);
	template.name = 'variant_template_id';
	const weight = weightInput(variant.weight);
	const row = h('li', { className: 'ao-variant' }, [
		h('strong', { className: 'ao-variant-letter' }),
		h('label', {}, [__('Template', 'almaseo-outreach'), ' ', template]),
		h('label', {}, [__('Weight', 'almaseo-outreach'), ' ', weight]),
		h('button', {
			type: 'button',
			className: 'button-link button-link-delete ao-remove-variant',
			text: __('Remove variant', 'almaseo-outreach'),
			onClick: () => {
				row.remove();
				onRemove();
			},
		}),
	]);
	row.read = () => ({
		template_id: parseInt(template.value, 10),
		weight: parseInt(weight.value || '1', 10),
	});
	return row;
}

/**
 * The variants box of a step.
 *
 * @param {Object} step      The step as saved (its `variants`, if any).
 * @param {Array}  templates The site's templates.
 * @return {Object} { node, fields(step's template id) → the step's variant fields }.
 */
export function variantsBox(step, templates) {
	const saved = step.variants || [];
	const mainWeight = weightInput(saved.length ? saved[0].weight : 1);
	const weightLabel = h('label', { className: 'ao-variant-a-weight' }, [
		/* translators: %s: variant letter */
		sprintf(__('Weight of %s', 'almaseo-outreach'), 'A'),
		' ',
		mainWeight,
	]);
	const list = h('ol', { className: 'ao-variants' });
	const add = h('button', {
		type: 'button',
		className: 'button button-small ao-add-variant',
		text: __('Add variant', 'almaseo-outreach'),
	});
	const refresh = () => {
		Array.from(list.children).forEach((row, i) => {
			row.querySelector('.ao-variant-letter').textContent = letter(i + 1);
		});
		weightLabel.hidden = !list.children.length;
		add.disabled = list.children.length >= MAX_VARIANTS - 1;
	};
	const append = (variant) => {
		list.appendChild(variantRow(variant, templates, refresh));
		refresh();
	};
	add.addEventListener('click', () =>
		append({ template_id: templates[0].id, weight: 1 })
	);
	saved.slice(1).forEach(append);
	refresh();
	return {
		node: h('div', { className: 'ao-step-variants' }, [
			weightLabel,
			list,
			add,
		]),
		// The step's test as the service takes it ({} without variants): its own
		// template is variant A; auto_winner and min_sends stay as saved (the
		// Experiments view switches auto_winner).
		fields: (first) => {
			const extra = Array.from(list.children).map((row) => row.read());
			if (!extra.length) {
				return {};
			}
			const weight = parseInt(mainWeight.value || '1', 10);
			return {
				variants: [{ template_id: first, weight }, ...extra],
				auto_winner: Boolean(step.auto_winner),
				min_sends: step.min_sends || 100,
			};
		},
	};
}
