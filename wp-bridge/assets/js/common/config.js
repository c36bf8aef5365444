/**
 * The page's configuration, read once from the JSON data block the plugin prints.
 */
const node = document.getElementById('almaseo-outreach-config');

export const config = node ? JSON.parse(node.textContent) : {};

/**
 * Whether the current user holds a short capability (view, edit, …).
 *
 * @param {string} name Short capability.
 * @return {boolean} Held.
 */
export const can = (name) => Boolean(config.caps && config.caps[name]);
