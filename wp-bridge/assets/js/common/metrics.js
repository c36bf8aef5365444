/**
 * The outreach metrics as the board's row and the Insights dialog show them.
 */
import { __ } from './i18n.js';
import { h } from './dom.js';

// [key of GET /metrics, label, whether it is a rate, what it counts (a tooltip)].
export const METRICS = [
	['total_sent', __('Total Sent', 'almaseo-outreach'), false],
	['delivered', __('Delivered', 'almaseo-outreach'), false],
	['open_rate', __('Open Rate', 'almaseo-outreach'), true],
	['click_rate', __('Click Rate', 'almaseo-outreach'), true],
	[
		'reply_rate',
		__('Reply Rate', 'almaseo-outreach'),
		true,
		__(
			'Emails a person answered (an unsubscribe request counts) ÷ emails sent. Auto-replies and bounces do not count.',
			'almaseo-outreach'
		),
	],
	['bounced', __('Bounced', 'almaseo-outreach'), false],
	['wins', __('Wins', 'almaseo-outreach'), false],
	['unread_replies', __('Unread Replies', 'almaseo-outreach'), false],
];

/**
 * A rate (0..1) as a percentage with one decimal.
 *
 * @param {number} rate Fraction.
 * @return {string} Text.
 */
export const percent = (rate) => Math.round(rate * 1000) / 10 + '%';

/**
 * A metric's value as text ('—' when the service gave none).
 *
 * @param {*}       value Number or null.
 * @param {boolean} rate  A rate.
 * @return {string} Text.
 */
export const metricText = (value, rate) => {
	if (value === undefined || value === null) {
		return '—';
	}
	return rate ? percent(value) : String(value);
};

/**
 * One metric's tile: its value over its label.
 *
 * @param {Array}  metric An entry of METRICS.
 * @param {string} text   The value, as text.
 * @return {window.HTMLElement} Tile (its first child holds the value).
 */
export function metricTile(metric, text) {
	const [key, label, , hint] = metric;
	return h(
		'div',
		{ className: 'ao-metric', title: hint, dataset: { metric: key } },
		[
			h('span', { className: 'ao-metric-value', text }),
			h('span', { className: 'ao-metric-label', text: label }),
		]
	);
}
