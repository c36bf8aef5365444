/**
 * Putting focus back on a card after a dialog, even when the card is redrawn or scrolled away.
 */
let reveal = () => null;

/**
 * The board registers how to bring a card into view (its lanes are virtualised).
 *
 * @param {Function} fn id → card element or null.
 */
export function setRevealer(fn) {
	reveal = fn;
}

/**
 * Focus a card without scrolling the page to the top.
 *
 * @param {number} id Card id.
 * @return {boolean} Whether the card got focus.
 */
export function focusCard(id) {
	const node = reveal(id);
	if (node) {
		node.focus({ preventScroll: true });
		return true;
	}
	const app = document.getElementById('ao-app');
	if (app) {
		app.focus({ preventScroll: true });
	}
	return false;
}
