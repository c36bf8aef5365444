/**
 * The Activity screen (entry module): the site's audit trail on its own admin page.
 */
import { h, clear } from './dom.js';
import { activityLog } from './activity.js';

const mount = document.getElementById('ao-activity-app');
if (mount) {
	const failure = h('div', {
		className: 'notice notice-error ao-activity-error',
	});
	const log = activityLog((error) => {
		clear(failure).appendChild(h('p', { text: error.message }));
		failure.hidden = false;
	});
	failure.hidden = true;
	clear(mount).append(
		failure,
		log.list,
		h('p', { className: 'ao-activity-pager' }, log.pager)
	);
}
