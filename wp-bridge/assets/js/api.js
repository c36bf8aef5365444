/**
 * AlmaSEO Outreach: calls to the bridge's REST proxy, with errors made readable for people.
 */
(function () {
	'use strict';

	const { __, sprintf } = wp.i18n;
	const config = window.almaseoOutreachConfig || {};
	const AO = (window.almaseoOutreach = window.almaseoOutreach || {});

	AO.config = config;

	/**
	 * Turn a failed answer into { status, message, fields, retryAt, limit }.
	 *
	 * @param {number} status HTTP status (0: no answer).
	 * @param {Object} body   Parsed JSON body, if any.
	 * @return {Object} The normalised error.
	 */
	function normalise(status, body) {
		const data = body && typeof body === 'object' ? body : {};
		const error = {
			status,
			message: typeof data.message === 'string' ? data.message : '',
			fields: {},
			retryAt: data.retry_at || null,
			limit: data.limit || null,
		};
		// The service names fields in `errors`; WordPress' own validation in `data.params`.
		const fields = data.errors || (data.data && data.data.params) || {};
		Object.keys(fields).forEach((name) => {
			const value = fields[name];
			error.fields[name] = Array.isArray(value)
				? value.join(' ')
				: String(value);
		});
		if (status === 0) {
			error.message = __(
				'The connection to WordPress failed. Check your network and try again.',
				'almaseo-outreach'
			);
		} else if (status === 429 && error.retryAt) {
			error.message = AO.limitMessage(error);
		} else if (!error.message) {
			error.message = sprintf(
				/* translators: %d: HTTP status code */
				__('The request failed (status %d).', 'almaseo-outreach'),
				status
			);
		}
		return error;
	}

	/**
	 * The service's 429 message, with the retry time in the reader's own time zone added.
	 *
	 * @param {Object} error Normalised error.
	 * @return {string} Message.
	 */
	AO.limitMessage = function (error) {
		const when = new Date(error.retryAt);
		const local = isNaN(when.getTime()) ? '' : when.toLocaleString();
		const base =
			error.message ||
			__('A sending limit was reached.', 'almaseo-outreach');
		if (!local) {
			return base;
		}
		return sprintf(
			/* translators: 1: the service's message, 2: local date and time */ __(
				'%1$s (Next email possible at %2$s your time.)',
				'almaseo-outreach'
			),
			base,
			local
		);
	};

	/**
	 * Call one proxied operation.
	 *
	 * @param {string} method HTTP method.
	 * @param {string} path   Path below the namespace, e.g. /board.
	 * @param {Object} data   JSON body (optional).
	 * @param {Object} query  Query parameters (optional).
	 * @return {Promise<*>} The parsed answer, or a rejected normalised error.
	 */
	AO.request = function (method, path, data, query) {
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
		const options = { path: url, method, parse: false };
		if (data !== undefined) {
			options.data = data;
		}
		return wp
			.apiFetch(options)
			.then((response) => readJson(response))
			.catch((response) => {
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
	};

	/**
	 * Parse a JSON body, tolerating 204 and empty answers.
	 *
	 * @param {window.Response} response Fetch response.
	 * @return {Promise<*>} Body or null.
	 */
	function readJson(response) {
		if (response.status === 204) {
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

	AO.get = (path, query) => AO.request('GET', path, undefined, query);
	AO.post = (path, data) => AO.request('POST', path, data || {});
	AO.patch = (path, data) => AO.request('PATCH', path, data);
	AO.put = (path, data) => AO.request('PUT', path, data);
	AO.del = (path) => AO.request('DELETE', path);

	/**
	 * Whether the current user holds a short capability (view, edit, …).
	 *
	 * @param {string} name Short capability.
	 * @return {boolean} Held.
	 */
	AO.can = (name) => Boolean(config.caps && config.caps[name]);
})();
