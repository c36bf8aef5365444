/**
 * The Insights dialog: the seven stats over a date range, a per-day chart (plain SVG),
 * and the Performance of templates and sequence steps.
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { get } from './api.js';
import { modal as openModal, showError, clearError } from './modal.js';
import { performance, percent } from './performance.js';

const SVG = 'http://www.w3.org/2000/svg';
const SERIES = [
	['sent', __('Sends', 'almaseo-outreach'), '#2271b1'],
	['opened', __('Opens', 'almaseo-outreach'), '#00a32a'],
	['replied', __('Replies', 'almaseo-outreach'), '#8c5fd4'],
	['bounced', __('Bounces', 'almaseo-outreach'), '#d63638'],
];
const STATS = [
	['total_sent', __('Total Sent', 'almaseo-outreach'), false],
	['delivered', __('Delivered', 'almaseo-outreach'), false],
	['open_rate', __('Open Rate', 'almaseo-outreach'), true],
	['click_rate', __('Click Rate', 'almaseo-outreach'), true],
	['reply_rate', __('Reply Rate', 'almaseo-outreach'), true],
	['bounced', __('Bounced', 'almaseo-outreach'), false],
	['wins', __('Wins', 'almaseo-outreach'), false],
];
const RANGES = [
	['7', __('Last 7 days', 'almaseo-outreach')],
	['30', __('Last 30 days', 'almaseo-outreach')],
	['90', __('Last 90 days', 'almaseo-outreach')],
	['custom', __('Custom', 'almaseo-outreach')],
];

function svg(tag, attrs, children) {
	const node = document.createElementNS(SVG, tag);
	Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
	(children || []).forEach((c) => node.appendChild(c));
	return node;
}

function scale(days) {
	const width = 640;
	const height = 200;
	const pad = 28;
	const top = Math.max(1, ...days.flatMap((d) => SERIES.map(([k]) => d[k])));
	return {
		width,
		height,
		pad,
		top,
		x: (i) =>
			pad +
			(days.length > 1 ? (i * (width - 2 * pad)) / (days.length - 1) : 0),
		y: (v) => height - pad - (v * (height - 2 * pad)) / top,
	};
}

function label(text, attrs) {
	return svg('text', { fill: '#50575e', ...attrs }, [
		document.createTextNode(text),
	]);
}

function axis(days, s) {
	const bottom = s.height - s.pad;
	const ends = days.length
		? [
				label(days[0].date, { x: s.pad, y: s.height - 8 }),
				label(days[days.length - 1].date, {
					x: s.width - s.pad,
					y: s.height - 8,
					'text-anchor': 'end',
				}),
			]
		: [];
	return svg('g', { class: 'ao-chart-axis', 'font-size': 10 }, [
		svg('line', {
			x1: s.pad,
			y1: bottom,
			x2: s.width - s.pad,
			y2: bottom,
			stroke: '#8c8f94',
		}),
		label(String(s.top), { x: 2, y: s.pad }),
		...ends,
	]);
}

function legend(days) {
	return h(
		'ul',
		{ className: 'ao-chart-legend' },
		SERIES.map(([key, name, colour]) =>
			h('li', { dataset: { series: key } }, [
				h('span', {
					className: 'ao-chart-swatch',
					style: 'background:' + colour,
				}),
				sprintf(
					/* translators: 1: series name, 2: its total over the period */
					__('%1$s: %2$d', 'almaseo-outreach'),
					name,
					days.reduce((n, d) => n + d[key], 0)
				),
			])
		)
	);
}

/**
 * The per-day chart: one polyline per series, the days along the bottom.
 *
 * @param {Array<Object>} days Rows of /metrics/daily.
 * @return {window.Element} The figure and its legend.
 */
export function chart(days) {
	const s = scale(days);
	const lines = SERIES.map(([key, name, colour]) =>
		svg(
			'polyline',
			{
				class: 'ao-chart-line',
				'data-series': key,
				fill: 'none',
				stroke: colour,
				'stroke-width': 2,
				points: days
					.map((d, i) => s.x(i) + ',' + s.y(d[key]))
					.join(' '),
			},
			[svg('title', {}, [document.createTextNode(name)])]
		)
	);
	const figure = svg(
		'svg',
		{
			class: 'ao-chart',
			viewBox: '0 0 ' + s.width + ' ' + s.height,
			role: 'img',
			'aria-label': __(
				'Sends, opens, replies and bounces per day',
				'almaseo-outreach'
			),
		},
		[axis(days, s), ...lines]
	);
	return h('div', { className: 'ao-chart-wrap' }, [figure, legend(days)]);
}

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

function showStats(node, totals) {
	clear(node);
	STATS.forEach(([key, name, rate]) =>
		node.appendChild(
			h('div', { className: 'ao-metric', dataset: { metric: key } }, [
				h('span', {
					className: 'ao-metric-value',
					text: rate ? percent(totals[key]) : String(totals[key]),
				}),
				h('span', { className: 'ao-metric-label', text: name }),
			])
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
		dialog: openModal(__('Insights', 'almaseo-outreach'), 'insights'),
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
