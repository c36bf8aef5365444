/**
 * Short messages at the bottom of the screen (away from the metrics and the toolbar).
 */
import { h } from './dom.js';

/**
 * Show a message in the page's notice area.
 *
 * @param {string} message Text.
 * @param {string} kind    success|error|info.
 */
export function notice(message, kind) {
	const area = document.getElementById('ao-notices');
	if (!area) {
		return;
	}
	const item = h(
		'div',
		{
			className: 'notice ao-notice notice-' + (kind || 'info'),
			role: kind === 'error' ? 'alert' : 'status',
		},
		[h('p', { text: message })]
	);
	area.appendChild(item);
	window.setTimeout(() => item.remove(), kind === 'error' ? 15000 : 5000);
}
