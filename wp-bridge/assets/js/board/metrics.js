/**
 * The metrics row above the board, redrawn when the metrics reload.
 */
import { __ } from '../shared/i18n.js';
import { h } from '../shared/dom.js';
import { state } from '../shared/state.js';
import { METRICS, metricText, metricTile } from '../shared/metrics.js';

const tiles = {};

export function metricsPanel() {
	return h(
		'section',
		{
			className: 'ao-metrics',
			'aria-label': __('Metrics', 'almaseo-outreach'),
		},
		METRICS.map((metric) => (tiles[metric[0]] = metricTile(metric, '…')))
	);
}

export function showMetrics() {
	METRICS.forEach(([key, , rate]) => {
		const value = state.metrics ? state.metrics[key] : null;
		tiles[key].firstChild.textContent = metricText(value, rate);
	});
}
