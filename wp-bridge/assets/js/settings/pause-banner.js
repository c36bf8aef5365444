/**
 * The pause banner: why and since when sending is paused, with Resume (outreach.settings).
 */
import { __, sprintf } from '../common/i18n.js';
import { when } from '../common/format.js';
import { get, patch } from '../common/api.js';
import { h, clear } from '../common/dom.js';
import { can } from '../common/config.js';
import { button } from '../common/controls.js';
import { notice } from '../common/notices.js';

export const banner = h('div', {
	className: 'notice notice-error ao-pause-banner',
	role: 'alert',
	hidden: true,
});

function show(site) {
	clear(banner);
	banner.hidden = !site.paused;
	if (!site.paused) {
		return;
	}
	banner.appendChild(
		h('p', {
			text: sprintf(
				/* translators: 1: date and time, 2: the reason */
				__('Sending is paused since %1$s. %2$s', 'almaseo-outreach'),
				when(site.paused_at),
				site.paused_reason || ''
			),
		})
	);
	banner.appendChild(
		h('p', {}, [
			button(
				__('Resume sending', 'almaseo-outreach'),
				() =>
					patch('/site', { paused: false }).then((fresh) => {
						show(fresh);
						notice(
							__('Sending resumed.', 'almaseo-outreach'),
							'success'
						);
					}),
				'button-primary ao-resume'
			),
		])
	);
}

/**
 * Look at the site's pause (only people who may resume can read the settings).
 *
 * @return {Promise} Done.
 */
export function checkPause() {
	if (!can('settings')) {
		return Promise.resolve();
	}
	return get('/site')
		.then(show)
		.catch(() => {});
}
