/**
 * Outreach → Integrations (entry module; src/ToolScreens.php enqueues it on that screen
 * only): the site's outbound webhooks and Slack notifications (docs/api.md §17).
 */
import { mountSection } from './common/modal.js';
import { integrations } from './settings/integrations.js';

mountSection('ao-integrations-app', 'webhooks', (host) =>
	host.footer.appendChild(integrations(host))
);
