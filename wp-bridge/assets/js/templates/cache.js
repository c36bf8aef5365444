/**
 * The site's templates, fetched once and shared by the dialogs that offer them (Send,
 * Templates, Sequences); `fresh` fetches again.
 */
import { get } from '../common/api.js';

let cache = null;

/**
 * The templates.
 *
 * @param {boolean} fresh Fetch again instead of using the last answer.
 * @return {Promise<Array>} Templates.
 */
export function loadTemplates(fresh) {
	if (!cache || fresh) {
		cache = get('/templates').catch((error) => {
			cache = null;
			throw error;
		});
	}
	return cache;
}
