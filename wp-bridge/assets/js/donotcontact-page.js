/**
 * The Do not contact screen (entry module): the site's list on its own admin page.
 */
import { clear } from './dom.js';
import { section } from './modal.js';
import { doNotContact } from './donotcontact.js';

const mount = document.getElementById('ao-dnc-app');
if (mount) {
	const host = section('suppressions');
	host.footer.appendChild(doNotContact(host));
	clear(mount).appendChild(host.dialog);
}
