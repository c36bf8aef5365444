/**
 * Tabs whose panels are built the first time they are shown.
 */
import { h } from './dom.js';

/**
 * Tabs over panels; the first is shown (and built) at once.
 *
 * @param {Array} panels [key, label, build () → element] in order.
 * @return {window.HTMLElement} The tab bar and the panels.
 */
export function tabs(panels) {
	const bar = h('div', { className: 'ao-tabs', role: 'tablist' });
	const bodies = panels.map(([key, label, build], i) => {
		const body = h('div', {
			className: 'ao-tab-panel',
			role: 'tabpanel',
			hidden: i > 0,
			dataset: { tab: key },
		});
		const tab = h('button', {
			type: 'button',
			role: 'tab',
			className: 'ao-tab ao-tab-' + key,
			'aria-selected': i === 0 ? 'true' : 'false',
			text: label,
		});
		const show = () => {
			bar.querySelectorAll('[role=tab]').forEach((t) =>
				t.setAttribute('aria-selected', String(t === tab))
			);
			bodies.forEach((b) => (b.hidden = b !== body));
			if (!body.firstChild) {
				body.appendChild(build());
			}
		};
		tab.addEventListener('click', show);
		bar.appendChild(tab);
		if (i === 0) {
			body.appendChild(build());
		}
		return body;
	});
	return h('div', {}, [bar, ...bodies]);
}
