/**
 * The Activity screen (entry module): the site's audit trail on its own admin page.
 */
import { clear } from './dom.js';
import { section, showError } from './modal.js';
import { activityLog } from './activity.js';

const mount = document.getElementById('ao-activity-app');
if (mount) {
	const host = section('activity');
	const log = activityLog((error) => showError(host, error));
	host.body.appendChild(log.list);
	host.footer.append(...log.pager);
	clear(mount).appendChild(host.dialog);
}
