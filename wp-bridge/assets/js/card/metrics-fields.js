/**
 * A card's SEO metrics (docs/api.md §20): the badge on the board's card, and the fields
 * of the panel's Details tab (their limits come from the service's CardMetrics schema).
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { form } from '../common/form.js';
import { badge } from './summary.js';

const SPECS = [
	{ name: 'dr', label: __('Domain rating (DR)', 'almaseo-outreach') },
	{ name: 'traffic', label: __('Organic traffic', 'almaseo-outreach') },
	{
		name: 'referring_domains',
		label: __('Referring domains', 'almaseo-outreach'),
	},
	{ name: 'url_rating', label: __('URL rating', 'almaseo-outreach') },
	{ name: 'spam_score', label: __('Spam score', 'almaseo-outreach') },
].map((spec) => ({ ...spec, type: 'number' }));
SPECS.push({
	name: 'source',
	label: __('Metrics source', 'almaseo-outreach'),
	type: 'text',
});

const number = (value) => Number(value).toLocaleString();
const known = (value) => value !== null && value !== undefined;

/**
 * "DR 71" with every known metric in its title; null when the card has no DR or traffic.
 *
 * @param {Object} card Card.
 * @return {?window.HTMLElement} Badge.
 */
export function metricsBadge(card) {
	const m = card.metrics || {};
	if (!known(m.dr) && !known(m.traffic)) {
		return null;
	}
	const text = known(m.dr)
		? /* translators: %s: domain rating */
			sprintf(__('DR %s', 'almaseo-outreach'), m.dr)
		: /* translators: %s: organic traffic */
			sprintf(__('Traffic %s', 'almaseo-outreach'), number(m.traffic));
	const node = badge(text, 'ao-badge-metrics');
	node.title = SPECS.filter((s) => known(m[s.name]))
		.map(
			(s) =>
				s.label +
				': ' +
				(s.type === 'number' ? number(m[s.name]) : m[s.name])
		)
		.join('\n');
	return node;
}

/**
 * The metrics' fields of the Details tab, filled from the card.
 *
 * @param {Object}  card     Card.
 * @param {boolean} readOnly Without the edit capability.
 * @return {Object} { node, form, changes() → the changed keys, or null }.
 */
export function metricsForm(card, readOnly) {
	const fields = form('CardMetrics', SPECS, { readOnly });
	fields.fill(card.metrics || {});
	const node = h('fieldset', { className: 'ao-metrics-fields' }, [
		h('legend', { text: __('SEO metrics', 'almaseo-outreach') }),
		...fields.nodes,
	]);
	const changes = () => {
		const before = card.metrics || {};
		const values = fields.values();
		const changed = Object.keys(values).filter(
			(key) => values[key] !== (before[key] ?? null)
		);
		return changed.length
			? Object.fromEntries(changed.map((key) => [key, values[key]]))
			: null;
	};
	return { node, form: fields, changes };
}
