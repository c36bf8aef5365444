/**
 * The board's sort and filters (docs/api.md §20): applied by the service to the board,
 * its counts and its deltas; the search box still narrows what they show.
 */
import { __ } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { addOptions, select } from '../common/controls.js';
import { get } from '../common/api.js';
import { EMAIL_STATUS } from '../common/labels.js';
import { setView, state } from '../common/state.js';
import { definition, limits } from '../common/form.js';
import { refresh } from '../common/sync.js';
import { projectSelect, rememberProject } from './project-picker.js';

const SORTS = [
	['position', __('Board order', 'almaseo-outreach')],
	['-dr', __('DR, highest first', 'almaseo-outreach')],
	['dr', __('DR, lowest first', 'almaseo-outreach')],
	['-traffic', __('Traffic, highest first', 'almaseo-outreach')],
	['-last_contact', __('Last contact, newest first', 'almaseo-outreach')],
	['last_contact', __('Last contact, oldest first', 'almaseo-outreach')],
	['next_step', __('Next step, soonest first', 'almaseo-outreach')],
	['-created', __('Newest first', 'almaseo-outreach')],
	['created', __('Oldest first', 'almaseo-outreach')],
];

const LINKS = [
	['', __('Any link status', 'almaseo-outreach')],
	['live', __('Link live', 'almaseo-outreach')],
	['nofollow', __('Link nofollow', 'almaseo-outreach')],
	['missing', __('Link missing', 'almaseo-outreach')],
	['unreachable', __('Page unreachable', 'almaseo-outreach')],
	['unchecked', __('Link unchecked', 'almaseo-outreach')],
];

const EMAILS = [
	['', __('Any email status', 'almaseo-outreach')],
	['none', __('Never emailed', 'almaseo-outreach')],
	...Object.entries(EMAIL_STATUS),
];

/**
 * A select of "any" and the items a list endpoint answers (sequences).
 *
 * @param {string} any  The first option's label.
 * @param {string} path The list's path.
 * @return {window.HTMLElement} Select.
 */
function listSelect(any, path) {
	const node = select([['', any]], '');
	get(path).then(
		(items) => addOptions(node, items || []),
		() => {} // a list it cannot read leaves "any" alone
	);
	return node;
}

const labelled = (id, text, control) => {
	control.id = id;
	return h('span', { className: 'ao-view-control' }, [
		h('label', { for: id, text }),
		control,
	]);
};

function checkbox(id, text) {
	const box = h('input', { type: 'checkbox', id, className: 'ao-' + id });
	return [box, h('label', { className: 'ao-view-control' }, [box, text])];
}

function drInput(id, placeholder) {
	return h('input', {
		type: 'number',
		id,
		className: 'small-text ' + id,
		...limits(definition('BoardView', 'dr_min')),
		step: 1,
		placeholder,
	});
}

/**
 * The controls' current view (only what is set).
 *
 * @param {Object} c Controls.
 * @return {Object} GET /board arguments.
 */
function viewOf(c) {
	const view = {};
	if (c.sort.value !== 'position') {
		view.sort = c.sort.value;
	}
	if (c.hasEmail.checked) {
		view.has_email = true;
	}
	if (c.unread.checked) {
		view.unread = true;
	}
	[
		['link_status', c.link],
		['email_status', c.email],
	].forEach(([name, node]) => {
		if (node.value) {
			view[name] = node.value;
		}
	});
	[
		['sequence_id', c.sequence],
		['project_id', c.project],
	].forEach(([name, node]) => {
		if (node.value) {
			view[name] = parseInt(node.value, 10);
		}
	});
	[
		['dr_min', c.drMin],
		['dr_max', c.drMax],
	].forEach(([name, node]) => {
		const value = parseInt(node.value, 10);
		if (!Number.isNaN(value)) {
			view[name] = value;
		}
	});
	return view;
}

/**
 * Show a view in the controls (a saved view picked).
 *
 * @param {Object} c    Controls.
 * @param {Object} view GET /board arguments.
 */
export function showView(c, view) {
	c.sort.value = view.sort || 'position';
	c.hasEmail.checked = Boolean(view.has_email);
	c.unread.checked = Boolean(view.unread);
	c.link.value = view.link_status || '';
	c.email.value = view.email_status || '';
	c.sequence.value = view.sequence_id ? String(view.sequence_id) : '';
	c.project.value = view.project_id ? String(view.project_id) : '';
	c.drMin.value = view.dr_min === undefined ? '' : String(view.dr_min);
	c.drMax.value = view.dr_max === undefined ? '' : String(view.dr_max);
}

/**
 * Apply a view: the board is loaded again with it.
 *
 * @param {Object} view GET /board arguments (no q, no since).
 * @return {Promise} Loaded.
 */
export function applyView(view) {
	setView(view);
	return refresh(true);
}

/**
 * The sort select and the filter controls.
 *
 * @return {Object} { node, controls, current() }.
 */
export function viewControls() {
	const [hasEmail, hasEmailLabel] = checkbox(
		'ao-filter-email',
		__('Has email', 'almaseo-outreach')
	);
	const [unread, unreadLabel] = checkbox(
		'ao-filter-unread',
		__('Unread replies', 'almaseo-outreach')
	);
	const c = {
		sort: select(SORTS, 'position'),
		link: select(LINKS, ''),
		email: select(EMAILS, ''),
		sequence: listSelect(
			__('Any sequence', 'almaseo-outreach'),
			'/sequences'
		),
		drMin: drInput('ao-filter-dr-min', __('min', 'almaseo-outreach')),
		drMax: drInput('ao-filter-dr-max', __('max', 'almaseo-outreach')),
		hasEmail,
		unread,
	};
	const changed = () => applyView(viewOf(c));
	// The project picker remembers this user's choice and knows each project's colour.
	c.project = projectSelect((remembered) => {
		if (remembered) {
			changed(); // the board this user left: their project's cards
		}
	});
	c.project.addEventListener('change', () =>
		rememberProject(parseInt(c.project.value, 10) || undefined)
	);
	Object.values(c).forEach((node) =>
		node.addEventListener('change', changed)
	);
	const node = h('div', { className: 'ao-view-controls' }, [
		labelled('ao-sort', __('Sort', 'almaseo-outreach'), c.sort),
		hasEmailLabel,
		unreadLabel,
		labelled('ao-filter-link', __('Link', 'almaseo-outreach'), c.link),
		labelled('ao-filter-status', __('Email', 'almaseo-outreach'), c.email),
		labelled(
			'ao-filter-sequence',
			__('Sequence', 'almaseo-outreach'),
			c.sequence
		),
		labelled(
			'ao-filter-project',
			__('Project', 'almaseo-outreach'),
			c.project
		),
		labelled(
			'ao-filter-dr-min',
			__('DR from', 'almaseo-outreach'),
			c.drMin
		),
		labelled('ao-filter-dr-max', __('to', 'almaseo-outreach'), c.drMax),
	]);
	return { node, controls: c, current: () => ({ ...state.view }) };
}
