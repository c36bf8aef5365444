/**
 * Outreach → Mailboxes (entry module; src/ToolScreens.php enqueues it on that screen
 * only): the site's own SMTP/IMAP mailboxes (docs/api.md §15).
 */
import { mountSection } from './common/modal.js';
import { mailboxesScreen } from './mailboxes/mailbox-list.js';

mountSection('ao-mailboxes-app', 'mailboxes', (host) =>
	host.footer.appendChild(mailboxesScreen(host))
);
