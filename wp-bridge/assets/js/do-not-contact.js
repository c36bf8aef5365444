/**
 * Outreach → Do not contact (entry module; src/ToolScreens.php enqueues it on that screen
 * only): the site's list on its own admin page.
 */
import { mountSection } from './common/modal.js';
import { doNotContact } from './settings/do-not-contact.js';

mountSection('ao-dnc-app', 'suppressions', (host) =>
	host.footer.appendChild(doNotContact(host))
);
