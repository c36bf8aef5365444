/**
 * The Performance view of the Insights dialog: every template and every sequence step
 * with its sends and rates, so a person sees which pitch works.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { percent } from '../common/metrics.js';

function rateCells(row) {
	return [
		h('td', { text: String(row.sent) }),
		h('td', { text: percent(row.open_rate) }),
		h('td', { text: percent(row.click_rate) }),
		h('td', { text: percent(row.reply_rate) }),
		h('td', { text: String(row.bounced) }),
	];
}

function head(first) {
	return h('thead', {}, [
		h('tr', {}, [
			h('th', { text: first }),
			h('th', { text: __('Sent', 'almaseo-outreach') }),
			h('th', { text: __('Open rate', 'almaseo-outreach') }),
			h('th', { text: __('Click rate', 'almaseo-outreach') }),
			h('th', { text: __('Reply rate', 'almaseo-outreach') }),
			h('th', { text: __('Bounced', 'almaseo-outreach') }),
		]),
	]);
}

function stepRow(step) {
	return h('tr', { className: 'ao-perf-step' }, [
		h('td', {
			text: sprintf(
				/* translators: 1: step number, 2: template name */
				__('Step %1$d — %2$s', 'almaseo-outreach'),
				step.step,
				step.template_name || '—'
			),
		}),
		...rateCells(step),
	]);
}

function sequenceRows(sequences) {
	return sequences.flatMap((seq) => [
		h('tr', { className: 'ao-perf-sequence' }, [
			h('th', { scope: 'row', text: seq.name }),
			...rateCells(seq),
		]),
		...seq.steps.map(stepRow),
	]);
}

/**
 * The two tables: templates, then sequences with a row per step.
 *
 * @param {Array<Object>} templates Rows of /metrics/templates.
 * @param {Array<Object>} sequences Rows of /metrics/sequences.
 * @return {window.HTMLElement} The view.
 */
export function performance(templates, sequences) {
	const templateRows = templates.map((t) =>
		h('tr', {}, [h('th', { scope: 'row', text: t.name }), ...rateCells(t)])
	);
	return h('div', { className: 'ao-performance' }, [
		h('h3', { text: __('Templates', 'almaseo-outreach') }),
		h('table', { className: 'widefat striped ao-perf-templates' }, [
			head(__('Template', 'almaseo-outreach')),
			h('tbody', {}, templateRows),
		]),
		h('h3', { text: __('Sequence steps', 'almaseo-outreach') }),
		h('table', { className: 'widefat striped ao-perf-sequences' }, [
			head(__('Sequence and step', 'almaseo-outreach')),
			h('tbody', {}, sequenceRows(sequences)),
		]),
	]);
}
