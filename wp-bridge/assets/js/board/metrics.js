/**
 * The metrics row above the board, redrawn when the metrics reload.
 */
import { __ } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { state } from '../common/state.js';
import { METRICS, metricText, metricTile } from '../common/metrics.js';

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
