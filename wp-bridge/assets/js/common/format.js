/**
 * Dates and limit messages, in the site's time zone (WordPress' setting) so every time on
 * the page agrees.
 */
import { config } from './config.js';
import { __, sprintf } from './i18n.js';

// One format for every date and time on the page, the zone named ("Dec 7, 2026, 3:53 PM
// GMT+5:30"). Why not dateStyle/timeStyle: Intl refuses them beside timeZoneName.
const FORMAT = {
	year: 'numeric',
	month: 'short',
	day: 'numeric',
	hour: 'numeric',
	minute: '2-digit',
	timeZoneName: 'short',
};

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
	try {
		return date.toLocaleString(undefined, {
			...FORMAT,
			timeZone: config.timezone || undefined,
		});
	} catch {
		return date.toLocaleString(undefined, FORMAT); // a zone Intl does not know
	}
}

/**
 * The calendar day of a moment in the site's time zone, as YYYY-MM-DD (comparable).
 *
 * @param {string|number} at ISO 8601, or milliseconds.
 * @return {string} Day.
 */
export function siteDay(at) {
	const date = new Date(at);
	const parts = { year: 'numeric', month: '2-digit', day: '2-digit' };
	let text;
	try {
		text = date.toLocaleDateString('en-CA', {
			...parts,
			timeZone: config.timezone || undefined,
		});
	} catch {
		text = date.toLocaleDateString('en-CA', parts); // a zone Intl does not know
	}
	return text;
}

/**
 * The site's time zone as people name it (WordPress' setting): "Europe/Berlin", or
 * "UTC+05:30" for a fixed offset.
 *
 * @return {string} Name.
 */
export function zoneName() {
	return (
		config.timezoneName ||
		config.timezone ||
		Intl.DateTimeFormat().resolvedOptions().timeZone
	);
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

/**
 * The offset of `zone` from UTC at `date`, in milliseconds.
 *
 * @param {Date}   date Instant.
 * @param {string} zone IANA zone.
 * @return {number} Offset.
 */
function zoneOffset(date, zone) {
	const parts = {};
	new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	})
		.formatToParts(date)
		.forEach((p) => (parts[p.type] = p.value));
	const asUtc = Date.UTC(
		+parts.year,
		+parts.month - 1,
		+parts.day,
		+parts.hour,
		+parts.minute,
		+parts.second
	);
	return asUtc - date.getTime();
}

/**
 * A datetime-local value read as the site's wall-clock time, as ISO 8601 (UTC).
 *
 * @param {string} local "YYYY-MM-DDTHH:MM" (empty: empty, the service answers 422).
 * @return {string} ISO 8601 with offset.
 */
export function siteTimeToIso(local) {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local || '');
	if (!match) {
		return local || '';
	}
	const [y, mo, d, hh, mm] = match.slice(1).map(Number);
	const guess = Date.UTC(y, mo - 1, d, hh, mm);
	let offset = 0;
	try {
		offset = zoneOffset(new Date(guess), config.timezone || 'UTC');
	} catch {
		offset = 0; // an unknown zone: read it as UTC
	}
	return new Date(guess - offset).toISOString();
}
