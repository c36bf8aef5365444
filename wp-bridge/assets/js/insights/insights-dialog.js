/**
 * The Insights dialog (full height): the seven stats over a date range, a per-day chart,
 * and the Performance of templates and sequence steps.
 */
import { __ } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { get } from '../common/api.js';
import { METRICS, metricText, metricTile } from '../common/metrics.js';
import { modal, showError, clearError } from '../common/modal.js';
import { chart } from './chart.js';
import { performance } from './performance.js';

const RANGES = [
	['7', __('Last 7 days', 'almaseo-outreach')],
	['30', __('Last 30 days', 'almaseo-outreach')],
	['90', __('Last 90 days', 'almaseo-outreach')],
	['custom', __('Custom', 'almaseo-outreach')],
];

function isoDay(date) {
	const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
	return local.toISOString().slice(0, 10);
}

function periodOf(ui) {
	if (ui.range.value === 'custom') {
		return { from: ui.from.value, to: ui.to.value };
	}
	const end = new Date();
	const start = new Date(end.getTime() - (ui.range.value - 1) * 86400000);
	return { from: isoDay(start), to: isoDay(end) };
}

// The seven stats of a period (unread replies are a count of now, not of a period).
const STATS = METRICS.filter(([key]) => key !== 'unread_replies');

function showStats(node, totals) {
	clear(node).append(
		...STATS.map((metric) =>
			metricTile(metric, metricText(totals[metric[0]], metric[2]))
		)
	);
}

function load(ui) {
	clearError(ui.dialog);
	const query = periodOf(ui);
	if (!query.from || !query.to) {
		return;
	}
	Promise.all(
		[
			'/metrics',
			'/metrics/daily',
			'/metrics/templates',
			'/metrics/sequences',
		].map((path) => get(path, query))
	)
		.then(([totals, days, templates, sequences]) => {
			showStats(ui.stats, totals);
			clear(ui.body).append(
				chart(days),
				performance(templates, sequences)
			);
			ui.dialog.dialog.classList.add('is-loaded');
		})
		.catch((error) => showError(ui.dialog, error));
}

/** Open the Insights dialog. */
export function insightsDialog() {
	const ui = {
		dialog: modal(__('Insights', 'almaseo-outreach'), 'insights', {
			size: 'full',
		}),
		range: h(
			'select',
			{
				className: 'ao-range',
				'aria-label': __('Period', 'almaseo-outreach'),
			},
			RANGES.map(([value, text]) => h('option', { value, text }))
		),
		from: h('input', { type: 'date', className: 'ao-range-from' }),
		to: h('input', { type: 'date', className: 'ao-range-to' }),
		stats: h('div', { className: 'ao-metrics ao-insight-stats' }),
		body: h('div', { className: 'ao-insights-body' }),
	};
	ui.range.value = '30';
	const custom = h('span', { className: 'ao-range-custom', hidden: true }, [
		ui.from,
		ui.to,
	]);
	ui.dialog.body.append(
		h('p', { className: 'ao-range-bar' }, [ui.range, custom]),
		ui.stats,
		ui.body
	);
	ui.range.addEventListener('change', () => {
		custom.hidden = ui.range.value !== 'custom';
		load(ui);
	});
	ui.from.addEventListener('change', () => load(ui));
	ui.to.addEventListener('change', () => load(ui));
	load(ui);
}
