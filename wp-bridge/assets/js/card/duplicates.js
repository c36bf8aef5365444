/**
 * What counts as the same prospect for a person: the same page, whatever the scheme,
 * "www.", host case, trailing slash, #fragment or utm_* tracking parameters. The service
 * applies the same rule (GET /opportunities?source_url=); the board asks it, and falls
 * back to the cards it holds when the lookup fails.
 */
import { get } from '../common/api.js';
import { state } from '../common/state.js';

/**
 * The comparable form of a URL ('' when it is not one).
 *
 * @param {string} value URL as typed.
 * @return {string} Normalised key.
 */
export function pageKey(value) {
	let url;
	try {
		url = new window.URL(String(value).trim());
	} catch {
		return '';
	}
	// Same rules as the service's duplicates.normalized(): host case, "www.", a trailing
	// dot and the default port ignored; the path's case and other parameters count.
	const host = url.hostname
		.toLowerCase()
		.replace(/\.$/, '')
		.replace(/^www\./, '');
	const path = url.pathname.replace(/\/+$/, '');
	const params = new window.URLSearchParams(
		Array.from(url.searchParams.entries()).filter(
			([k]) => !k.toLowerCase().startsWith('utm_')
		)
	).toString();
	return (
		host +
		(url.port ? ':' + url.port : '') +
		path +
		(params ? '?' + params : '')
	);
}

/**
 * A card already on the board for the same page, if any.
 *
 * @param {string} sourceUrl URL as typed.
 * @param {number} exceptId  A card to ignore (the one being edited).
 * @return {Object|null} Card.
 */
export function findDuplicate(sourceUrl, exceptId) {
	const key = pageKey(sourceUrl);
	if (!key) {
		return null;
	}
	for (const card of state.byId.values()) {
		if (card.id !== exceptId && pageKey(card.source_url) === key) {
			return card;
		}
	}
	return null;
}

/**
 * The service's answer to "is this page already on the board?" (the local board if the
 * lookup fails).
 *
 * @param {string} sourceUrl URL as typed.
 * @param {number} exceptId  A card to ignore.
 * @return {Promise<Object|null>} Card.
 */
export function lookupDuplicate(sourceUrl, exceptId) {
	return get('/opportunities', { source_url: sourceUrl }).then(
		(page) => {
			const found = (page.items || []).find((c) => c.id !== exceptId);
			return found ? state.byId.get(found.id) || found : null;
		},
		() => findDuplicate(sourceUrl, exceptId)
	);
}
