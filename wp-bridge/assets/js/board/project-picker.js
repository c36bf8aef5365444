/**
 * The board's project picker (docs/api.md §19): one client's cards at a time, the choice
 * remembered per WordPress user in this browser; each card shows its project's colour.
 */
import { __ } from '../common/i18n.js';
import { get } from '../common/api.js';
import { config } from '../common/config.js';
import { h } from '../common/dom.js';
import { select } from '../common/controls.js';

const KEY = 'almaseo-outreach-project-' + String(config.userId || 0);

// Every project of the site by id (archived ones too: their cards keep their colour).
export const projects = new Map();

/**
 * The project this user last picked on the board, if any.
 *
 * @return {number|undefined} Project id.
 */
export function rememberedProject() {
	try {
		const id = parseInt(window.localStorage.getItem(KEY), 10);
		return Number.isNaN(id) ? undefined : id;
	} catch {
		return undefined; // storage blocked: the whole board
	}
}

/**
 * Remember (or forget, with no id) the picked project.
 *
 * @param {number|undefined} id Project id.
 */
export function rememberProject(id) {
	try {
		if (id) {
			window.localStorage.setItem(KEY, String(id));
		} else {
			window.localStorage.removeItem(KEY);
		}
	} catch {
		// Storage blocked: the choice lasts this page only.
	}
}

/**
 * The picker: "All projects", then the site's projects not archived.
 *
 * @param {Function} onLoaded Called once the projects are in (with the remembered id).
 * @return {window.HTMLSelectElement} The select.
 */
export function projectSelect(onLoaded) {
	const node = select([['', __('All projects', 'almaseo-outreach')]], '');
	node.className = 'ao-filter-project';
	get('/projects')
		.then((list) => {
			list.forEach((project) => {
				projects.set(project.id, project);
				if (!project.archived) {
					node.append(
						h('option', {
							value: String(project.id),
							text: project.name,
						})
					);
				}
			});
			const remembered = rememberedProject();
			const usable =
				projects.has(remembered) && !projects.get(remembered).archived;
			node.value = usable ? String(remembered) : '';
			onLoaded(usable ? remembered : undefined);
		})
		.catch(() => onLoaded(undefined));
	return node;
}

/**
 * The colour stripe of a card's project (none without a project).
 *
 * @param {Object} card Card.
 * @return {string|null} A CSS colour.
 */
export function projectColor(card) {
	const project = card.project_id ? projects.get(card.project_id) : null;
	return project && /^#[0-9a-fA-F]{6}$/.test(project.color)
		? project.color
		: null;
}

/**
 * The card panel's Project field: none, or one of the site's projects.
 *
 * @param {Object}  card     Card.
 * @param {boolean} readOnly Without the edit capability.
 * @return {Object} { node, changed(): the new project_id or undefined when unchanged }.
 */
export function projectField(card, readOnly) {
	const options = [['', __('No project', 'almaseo-outreach')]];
	projects.forEach((project) => {
		if (!project.archived || project.id === card.project_id) {
			options.push([project.id, project.name]);
		}
	});
	const control = select(options, card.project_id || '');
	control.id = 'ao-detail-project';
	control.disabled = readOnly;
	const node = h('p', { className: 'ao-detail-project' }, [
		h('label', {
			for: control.id,
			text: __('Project', 'almaseo-outreach'),
		}),
		h('br'),
		control,
	]);
	const changed = () => {
		const id = parseInt(control.value, 10) || null;
		return id === (card.project_id || null) ? undefined : id;
	};
	return { node, changed };
}
