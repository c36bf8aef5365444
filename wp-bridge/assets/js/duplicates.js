/**
 * What counts as the same prospect for a person: the same page, whatever the scheme,
 * "www.", letter case, trailing slash, #fragment or utm_* tracking parameters.
 */
import { state } from './state.js';

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
	const host = url.hostname.toLowerCase().replace(/^www\./, '');
	const path = url.pathname.replace(/\/+$/, '') || '';
	const params = Array.from(url.searchParams.entries())
		.filter(([k]) => !k.toLowerCase().startsWith('utm_'))
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([k, v]) => k + '=' + v)
		.join('&');
	return host + path + (params ? '?' + params : '');
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
