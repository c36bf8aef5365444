/**
 * Outreach → Inbox (entry module; src/ToolScreens.php enqueues it on that screen only):
 * every reply of the site in one list.
 */
import { mountSection } from './common/modal.js';
import { inboxPage } from './inbox/inbox-page.js';

mountSection('ao-inbox-app', 'inbox', inboxPage);
