/**
 * Keeping the board in step with the service: one full load, then cheap polls
 * (If-None-Match → 304 when nothing changed, ?since=<cursor> → only what changed).
 */
import { config } from './config.js';
import { call, get } from './api.js';
import { state, setBoard, applyDelta, emit } from './state.js';

let inflight = null;
let metricsAt = 0;

function etagOf(answer) {
	return (answer.headers && answer.headers.get('ETag')) || '';
}

/**
 * Load the board: a delta when a cursor is known, the whole board otherwise.
 *
 * @param {boolean} full Ignore the cursor and ETag (after a failed delta, on demand).
 * @return {Promise<boolean>} Whether anything changed.
 */
function loadBoard(full) {
	const since = !full && state.cursor !== null ? state.cursor : undefined;
	const headers =
		!full && state.etag ? { 'If-None-Match': state.etag } : null;
	const query = { ...state.view, since };
	return call('GET', '/board', undefined, query, headers).then((answer) => {
		setOffline(null);
		if (answer.status === 304 || !answer.body) {
			return false;
		}
		state.etag = etagOf(answer);
		if (answer.body.columns) {
			setBoard(answer.body);
			return true;
		}
		return applyDelta(answer.body);
	});
}

function setOffline(error) {
	if (state.offline !== error) {
		state.offline = error;
		emit('offline');
	}
}

function loadMetrics() {
	metricsAt = Date.now();
	return get('/metrics').then(
		(metrics) => {
			state.metrics = metrics;
			emit('metrics');
		},
		() => {
			state.metrics = null;
			emit('metrics');
		}
	);
}

/**
 * Bring the board (and, when it changed, the metrics) up to date; calls never overlap.
 *
 * @param {boolean} full Force a full board load.
 * @return {Promise} Done.
 */
export function refresh(full) {
	if (inflight) {
		return inflight.then(() => refresh(full));
	}
	inflight = loadBoard(Boolean(full))
		.catch((error) => {
			if (!full && error.status && error.status < 500) {
				// Why: a cursor the service no longer knows; start again from the board.
				state.cursor = null;
				state.etag = '';
				return loadBoard(true);
			}
			setOffline(error);
			return false;
		})
		.then((changed) =>
			changed || Date.now() - metricsAt > 60000 ? loadMetrics() : null
		)
		.catch((error) => setOffline(error))
		.then(() => {
			inflight = null;
		});
	return inflight;
}

/** Poll while the tab is visible and nothing is being dragged. */
export function startPolling() {
	const seconds = config.pollSeconds || 3;
	window.setInterval(() => {
		if (document.hidden || state.dragging !== null) {
			return;
		}
		refresh(false);
	}, seconds * 1000);
	document.addEventListener('visibilitychange', () => {
		if (!document.hidden) {
			refresh(false);
		}
	});
}
