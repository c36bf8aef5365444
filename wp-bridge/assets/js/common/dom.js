/**
 * DOM helpers. Data goes in as text only (textContent, never HTML).
 */

/**
 * Create an element. Children that are strings become text nodes (never HTML).
 *
 * @param {string} tag      Tag name.
 * @param {Object} props    Attributes; `className`, `text`, `on<Event>` and `dataset` are special.
 * @param {Array}  children Nodes or strings.
 * @return {window.HTMLElement} Element.
 */
export function h(tag, props, children) {
	const node = document.createElement(tag);
	Object.entries(props || {}).forEach(([key, value]) => {
		if (value === undefined || value === null || value === false) {
			return;
		}
		if (key === 'className') {
			node.className = value;
		} else if (key === 'text') {
			node.textContent = String(value);
		} else if (key === 'dataset') {
			Object.assign(node.dataset, value);
		} else if (key.startsWith('on') && typeof value === 'function') {
			node.addEventListener(key.slice(2).toLowerCase(), value);
		} else if (key === 'value') {
			node.value = value;
		} else if (key === 'checked') {
			node.checked = Boolean(value);
		} else {
			node.setAttribute(key, value === true ? '' : String(value));
		}
	});
	(children || []).forEach((child) => {
		if (child === null || child === undefined || child === false) {
			return;
		}
		node.appendChild(
			typeof child === 'string' || typeof child === 'number'
				? document.createTextNode(String(child))
				: child
		);
	});
	return node;
}

/**
 * Remove every child of a node.
 *
 * @param {window.HTMLElement} node Node.
 * @return {window.HTMLElement} The node.
 */
export function clear(node) {
	while (node.firstChild) {
		node.removeChild(node.firstChild);
	}
	return node;
}
