/**
 * Calls to the bridge's REST proxy, with errors made readable for people.
 */
import { config } from './config.js';
import { __, sprintf } from './i18n.js';
import { limitMessage } from './format.js';

/**
 * A field's name as people read it: its label in the dialog, else the name in words
 * ("send_at" → "Send at").
 *
 * @param {string} name   The API's field name.
 * @param {Object} labels name → label of the fields shown (optional).
 * @return {string} Label.
 */
export function labelFor(name, labels) {
	if (labels && labels[name]) {
		return labels[name];
	}
	const words = name.replace(/[._]+/g, ' ').trim();
	return words.charAt(0).toUpperCase() + words.slice(1);
}

const escapeRe = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Text with the API's field names replaced by labels. A name like `send_at` is replaced
 * wherever it stands as a word; a plain word (`to`, `body`) only where WordPress puts the
 * parameter, at the very start, so ordinary words stay.
 *
 * @param {string}   text   Message or reason.
 * @param {string[]} names  The API names to look for.
 * @param {Object}   labels name → label (optional).
 * @return {string} Text.
 */
export function readable(text, names, labels) {
	let out = String(text || '');
	names.forEach((name) => {
		const plain = !/[._]/.test(name);
		const re = plain
			? new RegExp('^' + escapeRe(name) + '(?=[\\s:])')
			: new RegExp('(^|[^\\w.])' + escapeRe(name) + '(?![\\w])', 'g');
		const label = labelFor(name, labels);
		out = out.replace(re, plain ? label : (m, lead) => lead + label);
	});
	return out;
}

/**
 * Turn a failed answer into { status, message, raw, fields, retryAt, limit, body }:
 * `message` names fields in words, `raw` is the message as the service wrote it (a
 * dialog puts its own labels in).
 *
 * @param {number} status HTTP status (0: no answer).
 * @param {Object} body   Parsed JSON body, if any.
 * @return {Object} The normalised error.
 */
export function normalise(status, body) {
	const data = body && typeof body === 'object' ? body : {};
	const error = {
		status,
		message: typeof data.message === 'string' ? data.message : '',
		fields: {},
		retryAt: data.retry_at || null,
		limit: data.limit || null,
		body: data,
	};
	// The service names fields in `errors`; WordPress' own validation in `data.params`.
	const wpParams = data.data && data.data.params;
	const fields = data.errors || wpParams || {};
	// Nested objects (a settings group) are named "group.field", as the dialogs name them.
	const add = (name, value) => {
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			Object.keys(value).forEach((k) => add(name + '.' + k, value[k]));
		} else {
			error.fields[name] = Array.isArray(value)
				? value.join(' ')
				: String(value);
		}
	};
	Object.keys(fields).forEach((name) => add(name, fields[name]));
	if (wpParams) {
		// Why: "Invalid parameter(s): anchor_text" is WordPress talking to developers.
		error.message = __(
			'Some fields need a fix before this can be saved.',
			'almaseo-outreach'
		);
	}
	if (status === 0) {
		error.message = __(
			'The connection to WordPress failed. Check your network and try again.',
			'almaseo-outreach'
		);
	} else if (status === 429 && error.retryAt) {
		error.message = limitMessage(error);
	} else if (!error.message) {
		error.message = sprintf(
			/* translators: %d: HTTP status code */
			__('The request failed (status %d).', 'almaseo-outreach'),
			status
		);
	}
	error.raw = error.message;
	error.message = readable(error.message, Object.keys(error.fields));
	return error;
}

/**
 * Parse a JSON body, tolerating 204, 304 and empty answers.
 *
 * @param {window.Response} response Fetch response.
 * @return {Promise<*>} Body or null.
 */
function readJson(response) {
	if (response.status === 204 || response.status === 304) {
		return Promise.resolve(null);
	}
	return response.text().then((text) => {
		if (!text) {
			return null;
		}
		try {
			return JSON.parse(text);
		} catch {
			return null;
		}
	});
}

function urlFor(path, query) {
	let url = config.namespace + path;
	if (query) {
		const params = new window.URLSearchParams();
		Object.keys(query).forEach((key) => {
			if (query[key] !== undefined && query[key] !== '') {
				params.append(key, query[key]);
			}
		});
		const qs = params.toString();
		url += qs ? '?' + qs : '';
	}
	return url;
}

/**
 * Call one proxied operation and keep the raw response (status, headers).
 *
 * @param {string} method  HTTP method.
 * @param {string} path    Path below the namespace, e.g. /board.
 * @param {Object} data    JSON body (optional).
 * @param {Object} query   Query parameters (optional).
 * @param {Object} headers Extra request headers (optional).
 * @return {Promise<Object>} { status, headers, body }, or a rejected normalised error.
 */
export function call(method, path, data, query, headers) {
	const options = { path: urlFor(path, query), method, parse: false };
	if (data !== undefined) {
		options.data = data;
	}
	if (headers) {
		options.headers = headers;
	}
	const answer = (response) =>
		readJson(response).then((body) => ({
			status: response.status,
			headers: response.headers,
			body,
		}));
	return window.wp.apiFetch(options).then(answer, (response) => {
		if (response && response.status === 304) {
			return answer(response);
		}
		if (response && typeof response.json === 'function') {
			return readJson(response).then((body) => {
				throw normalise(response.status, body);
			});
		}
		if (response && response.status !== undefined) {
			throw response;
		}
		throw normalise(0, null);
	});
}

/**
 * Call one proxied operation.
 *
 * @param {string} method HTTP method.
 * @param {string} path   Path below the namespace.
 * @param {Object} data   JSON body (optional).
 * @param {Object} query  Query parameters (optional).
 * @return {Promise<*>} The parsed answer, or a rejected normalised error.
 */
export const request = (method, path, data, query) =>
	call(method, path, data, query).then((answer) => answer.body);

export const get = (path, query) => request('GET', path, undefined, query);
export const post = (path, data) => request('POST', path, data || {});
export const patch = (path, data) => request('PATCH', path, data);
export const put = (path, data) => request('PUT', path, data);
export const del = (path) => request('DELETE', path);
