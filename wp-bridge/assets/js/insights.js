/**
 * The Insights dialog: the seven stats over a date range, a per-day chart (plain SVG),
 * and the Performance of templates and sequence steps.
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { get } from './api.js';
import { modal as openModal, showError, clearError } from './modal.js';

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

const percent = (rate) => Math.round(rate * 1000) / 10 + '%';

function svg(tag, attrs, children) {
	const node = document.createElementNS(SVG, tag);
	Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
	(children || []).forEach((c) => node.appendChild(c));
	return node;
}

/**
 * The per-day chart: one polyline per series, the days along the bottom.
 *
 * @param {Array<Object>} days Rows of /metrics/daily.
 * @return {window.Element} The figure.
 */
export function chart(days) {
	const width = 640;
	const height = 200;
	const pad = 28;
	const top = Math.max(1, ...days.flatMap((d) => SERIES.map(([k]) => d[k])));
	const x = (i) =>
		pad +
		(days.length > 1 ? (i * (width - 2 * pad)) / (days.length - 1) : 0);
	const y = (v) => height - pad - (v * (height - 2 * pad)) / top;
	const lines = SERIES.map(([key, label, colour]) =>
		svg(
			'polyline',
			{
				class: 'ao-chart-line',
				'data-series': key,
				fill: 'none',
				stroke: colour,
				'stroke-width': 2,
				points: days.map((d, i) => x(i) + ',' + y(d[key])).join(' '),
			},
			[svg('title', {}, [document.createTextNode(label)])]
		)
	);
	const axis = svg('g', { class: 'ao-chart-axis', 'font-size': 10 }, [
		svg('line', {
			x1: pad,
			y1: height - pad,
			x2: width - pad,
			y2: height - pad,
			stroke: '#8c8f94',
		}),
		svg('text', { x: 2, y: pad, fill: '#50575e' }, [
			document.createTextNode(String(top)),
		]),
		...(days.length
			? [
					svg('text', { x: pad, y: height - 8, fill: '#50575e' }, [
						document.createTextNode(days[0].date),
					]),
					svg(
						'text',
						{
							x: width - pad,
							y: height - 8,
							fill: '#50575e',
							'text-anchor': 'end',
						},
						[document.createTextNode(days[days.length - 1].date)]
					),
				]
			: []),
	]);
	const figure = svg(
		'svg',
		{
			class: 'ao-chart',
			viewBox: '0 0 ' + width + ' ' + height,
			role: 'img',
			'aria-label': __(
				'Sends, opens, replies and bounces per day',
				'almaseo-outreach'
			),
		},
		[axis, ...lines]
	);
	const legend = h(
		'ul',
		{ className: 'ao-chart-legend' },
		SERIES.map(([key, label, colour]) =>
			h('li', { dataset: { series: key } }, [
				h('span', {
					className: 'ao-chart-swatch',
					style: 'background:' + colour,
				}),
				sprintf(
					/* translators: 1: series name, 2: its total over the period */
					__('%1$s: %2$d', 'almaseo-outreach'),
					label,
					days.reduce((n, d) => n + d[key], 0)
				),
			])
		)
	);
	return h('div', { className: 'ao-chart-wrap' }, [figure, legend]);
}

function rateCells(row) {
	return [
		h('td', { text: String(row.sent) }),
		h('td', { text: percent(row.open_rate) }),
		h('td', { text: percent(row.click_rate) }),
		h('td', { text: percent(row.reply_rate) }),
		h('td', { text: String(row.bounced) }),
	];
}

function performance(templates, sequences) {
	const head = (first) =>
		h('thead', {}, [
			h('tr', {}, [
				h('th', { text: first }),
				h('th', { text: __('Sent', 'almaseo-outreach') }),
				h('th', { text: __('Open rate', 'almaseo-outreach') }),
				h('th', { text: __('Click rate', 'almaseo-outreach') }),
				h('th', { text: __('Reply rate', 'almaseo-outreach') }),
				h('th', { text: __('Bounced', 'almaseo-outreach') }),
			]),
		]);
	const rows = [];
	sequences.forEach((seq) => {
		rows.push(
			h('tr', { className: 'ao-perf-sequence' }, [
				h('th', { scope: 'row', text: seq.name }),
				...rateCells(seq),
			])
		);
		seq.steps.forEach((step) =>
			rows.push(
				h('tr', { className: 'ao-perf-step' }, [
					h('td', {
						text: sprintf(
							/* translators: 1: step number, 2: template name */
							__('Step %1$d — %2$s', 'almaseo-outreach'),
							step.step,
							step.template_name || '—'
						),
					}),
					...rateCells(step),
				])
			)
		);
	});
	return h('div', { className: 'ao-performance' }, [
		h('h3', { text: __('Templates', 'almaseo-outreach') }),
		h('table', { className: 'widefat striped ao-perf-templates' }, [
			head(__('Template', 'almaseo-outreach')),
			h(
				'tbody',
				{},
				templates.map((t) =>
					h('tr', {}, [
						h('th', { scope: 'row', text: t.name }),
						...rateCells(t),
					])
				)
			),
		]),
		h('h3', { text: __('Sequence steps', 'almaseo-outreach') }),
		h('table', { className: 'widefat striped ao-perf-sequences' }, [
			head(__('Sequence and step', 'almaseo-outreach')),
			h('tbody', {}, rows),
		]),
	]);
}

function isoDay(date) {
	const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
	return local.toISOString().slice(0, 10);
}

/** Open the Insights dialog. */
export function insightsDialog() {
	const dialog = openModal(__('Insights', 'almaseo-outreach'), 'insights');
	const range = h(
		'select',
		{
			className: 'ao-range',
			'aria-label': __('Period', 'almaseo-outreach'),
		},
		RANGES.map(([value, label]) => h('option', { value, text: label }))
	);
	range.value = '30';
	const from = h('input', { type: 'date', className: 'ao-range-from' });
	const to = h('input', { type: 'date', className: 'ao-range-to' });
	const custom = h('span', { className: 'ao-range-custom', hidden: true }, [
		from,
		to,
	]);
	const stats = h('div', { className: 'ao-metrics ao-insight-stats' });
	const body = h('div', { className: 'ao-insights-body' });
	dialog.body.append(
		h('p', { className: 'ao-range-bar' }, [range, custom]),
		stats,
		body
	);

	function period() {
		if (range.value === 'custom') {
			return { from: from.value, to: to.value };
		}
		const end = new Date();
		const start = new Date(end.getTime() - (range.value - 1) * 86400000);
		return { from: isoDay(start), to: isoDay(end) };
	}

	function load() {
		clearError(dialog);
		const query = period();
		if (!query.from || !query.to) {
			return;
		}
		Promise.all([
			get('/metrics', query),
			get('/metrics/daily', query),
			get('/metrics/templates', query),
			get('/metrics/sequences', query),
		])
			.then(([totals, days, templates, sequences]) => {
				clear(stats);
				STATS.forEach(([key, label, rate]) =>
					stats.appendChild(
						h(
							'div',
							{
								className: 'ao-metric',
								dataset: { metric: key },
							},
							[
								h('span', {
									className: 'ao-metric-value',
									text: rate
										? percent(totals[key])
										: String(totals[key]),
								}),
								h('span', {
									className: 'ao-metric-label',
									text: label,
								}),
							]
						)
					)
				);
				clear(body);
				body.append(chart(days), performance(templates, sequences));
				dialog.dialog.classList.add('is-loaded');
			})
			.catch((error) => showError(dialog, error));
	}

	range.addEventListener('change', () => {
		custom.hidden = range.value !== 'custom';
		load();
	});
	from.addEventListener('change', load);
	to.addEventListener('change', load);
	load();
}
