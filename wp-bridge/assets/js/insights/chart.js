/**
 * The Insights dialog's per-day chart: one polyline per series over the days, drawn as
 * plain SVG (no library, no CDN), with a legend of the period's totals.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const SERIES = [
	['sent', __('Sends', 'almaseo-outreach'), '#2271b1'],
	['opened', __('Opens', 'almaseo-outreach'), '#00a32a'],
	['replied', __('Replies', 'almaseo-outreach'), '#8c5fd4'],
	['bounced', __('Bounces', 'almaseo-outreach'), '#d63638'],
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
