/**
 * The Export button (the cards matching the search box) and CSV downloads.
 */
import { h } from '../common/dom.js';
import { config } from '../common/config.js';
import { state } from '../common/state.js';

/**
 * Hand some CSV text to the browser as a file download.
 *
 * @param {string} name File name.
 * @param {string} text CSV text.
 */
export function download(name, text) {
	const url = window.URL.createObjectURL(
		new window.Blob([text], { type: 'text/csv' })
	);
	const link = h('a', { href: url, download: name, hidden: true });
	document.body.appendChild(link);
	link.click();
	link.remove();
	window.setTimeout(() => window.URL.revokeObjectURL(url), 1000);
}

/**
 * The Export button: the cards matching the search box, as a CSV download.
 *
 * The file comes from admin-post.php, which streams it from the service: the browser
 * saves it as any download and stays on the board; a failure shows WordPress' message.
 */
export function exportBoard() {
	const query = state.query.trim();
	window.location.assign(
		config.exportUrl + (query ? '&q=' + encodeURIComponent(query) : '')
	);
}
