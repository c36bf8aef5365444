/**
 * Outreach → Activity (entry module; src/ToolScreens.php enqueues it on that screen only):
 * the site's audit trail on its own admin page.
 */
import { mountSection } from './common/modal.js';
import { activityLog } from './activity/activity-log.js';

mountSection('ao-activity-app', 'activity', activityLog);
