/**
 * The one place that touches WordPress' i18n global; translations for the module files
 * arrive in the config block and are registered before any string is looked up.
 */
import { config } from './config.js';

const i18n = window.wp.i18n;

if (config.localeData) {
	i18n.setLocaleData(config.localeData, 'almaseo-outreach');
}

export const { __, _n, sprintf } = i18n;
