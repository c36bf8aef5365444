/**
 * Dates and limit messages, in the site's time zone (WordPress' setting) so every time on
 * the page agrees.
 */
import { config } from './config.js';
import { __, sprintf } from './i18n.js';

/**
 * A date-time in the site's time zone, with the zone's short name.
 *
 * @param {string} iso ISO 8601.
 * @return {string} Text.
 */
export function when(iso) {
	if (!iso) {
		return '';
	}
	const date = new Date(iso);
	if (isNaN(date.getTime())) {
		return iso;
	}
	const options = { dateStyle: 'medium', timeStyle: 'short' };
	try {
		return date.toLocaleString(undefined, {
			...options,
			timeZone: config.timezone || undefined,
			timeZoneName: 'short',
		});
	} catch {
		return date.toLocaleString(undefined, options);
	}
}

/**
 * The service's 429 message; one time only, in the site's time zone.
 *
 * @param {Object} error Normalised error ({ message, retryAt }).
 * @return {string} Message.
 */
export function limitMessage(error) {
	const base =
		error.message || __('A sending limit was reached.', 'almaseo-outreach');
	const local = when(error.retryAt);
	if (!local) {
		return base;
	}
	// Why: the service already names its one time in the site's zone ("at 14:05 UTC");
	// adding the reader's clock beside it gave two times that did not agree.
	if (/ at (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} \S+/.test(base)) {
		return base;
	}
	return sprintf(
		/* translators: 1: the service's message, 2: date and time */
		__('%1$s Next email possible at %2$s.', 'almaseo-outreach'),
		base,
		local
	);
}
