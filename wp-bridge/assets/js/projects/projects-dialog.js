/**
 * The Projects dialog (docs/api.md §19): the site's projects with their counts, add one,
 * edit, archive or delete it, and its Report view with "Copy share link" and "Revoke".
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { del, get, patch, post } from '../common/api.js';
import { can } from '../common/config.js';
import { notice } from '../common/notices.js';
import { button } from '../common/controls.js';
import { modal, showError, clearError, footer } from '../common/modal.js';
import { reportView } from './report-view.js';

const total = (counts) =>
	Object.values(counts || {}).reduce((sum, n) => sum + n, 0);

function actions(project, reload, target, form) {
	const list = [
		button(
			__('Report', 'almaseo-outreach'),
			() => reportView(project, target),
			'ao-open-report'
		),
	];
	if (can('edit')) {
		list.push(
			button(
				__('Edit', 'almaseo-outreach'),
				() => form.edit(project),
				'ao-edit-project'
			),
			button(
				project.archived
					? __('Unarchive', 'almaseo-outreach')
					: __('Archive', 'almaseo-outreach'),
				() =>
					patch('/projects/' + project.id, {
						archived: !project.archived,
					})
						.then(reload)
						.catch((error) => showError(target, error)),
				'ao-archive-project'
			),
			button(
				__('Delete', 'almaseo-outreach'),
				() =>
					del('/projects/' + project.id)
						.then(reload)
						.catch((error) => showError(target, error)),
				'button-link-delete ao-delete-project'
			)
		);
	}
	return list;
}

function row(project, reload, target, form) {
	return h(
		'li',
		{ className: 'ao-project', dataset: { id: String(project.id) } },
		[
			h('span', {
				className: 'ao-project-color',
				style: 'background:' + project.color,
				'aria-hidden': 'true',
			}),
			h('strong', { text: project.name }),
			h('span', {
				className: 'ao-project-detail',
				text:
					(project.client ? ' · ' + project.client : '') +
					' · ' +
					sprintf(
						/* translators: %d: number of cards */
						__('%d cards', 'almaseo-outreach'),
						total(project.counts)
					) +
					(project.archived
						? ' · ' + __('archived', 'almaseo-outreach')
						: ''),
			}),
			...actions(project, reload, target, form),
		]
	);
}

/**
 * The form that adds a project, or saves the one picked with "Edit".
 *
 * @param {Function} reload Re-reads the list.
 * @param {Object}   target Handles of the dialog.
 * @return {Object} { node, edit(project) }.
 */
function projectForm(reload, target) {
	const name = h('input', { type: 'text', id: 'ao-project-name' });
	const client = h('input', { type: 'text', id: 'ao-project-client' });
	const color = h('input', { type: 'color', id: 'ao-project-color' });
	let editing = null; // the project being edited, or null: adding
	const save = () => {
		clearError(target);
		const values = {
			name: name.value,
			client: client.value || null,
			color: color.value,
		};
		const done = editing
			? patch('/projects/' + editing.id, values)
			: post('/projects', values);
		return done
			.then(() => {
				notice(
					editing
						? __('Project saved.', 'almaseo-outreach')
						: __('Project added.', 'almaseo-outreach'),
					'success'
				);
				reset(null);
				return reload();
			})
			.catch((error) => showError(target, error));
	};
	const submit = button('', save, ''); // disabled while a save is on its way
	const reset = (project) => {
		editing = project;
		name.value = project ? project.name : '';
		client.value = project ? project.client || '' : '';
		color.value = project ? project.color : '#2271b1';
		submit.className =
			'button ' + (project ? 'ao-save-project' : 'ao-add-project');
		submit.textContent = project
			? __('Save project', 'almaseo-outreach')
			: __('Add project', 'almaseo-outreach');
	};
	reset(null);
	const label = (control, text) => h('label', { for: control.id, text });
	const node = h('p', { className: 'ao-project-add' }, [
		label(name, __('Name', 'almaseo-outreach')),
		name,
		label(client, __('Client', 'almaseo-outreach')),
		client,
		label(color, __('Colour', 'almaseo-outreach')),
		color,
		submit,
	]);
	const edit = (project) => {
		reset(project);
		name.focus();
	};
	return { node, edit };
}

/**
 * Open the Projects dialog.
 */
export function projectsDialog() {
	const target = modal(__('Projects', 'almaseo-outreach'), 'projects');
	const list = h('ul', { className: 'ao-projects' });
	const form = projectForm(() => reload(), target);
	const reload = () =>
		get('/projects')
			.then((projects) => {
				clear(list);
				projects.forEach((p) =>
					list.append(row(p, reload, target, form))
				);
				if (!projects.length) {
					list.append(
						h('li', {
							text: __('No project yet.', 'almaseo-outreach'),
						})
					);
				}
			})
			.catch((error) => showError(target, error));
	target.body.append(list);
	if (can('edit')) {
		target.body.append(form.node);
	}
	footer(target, [], __('Close', 'almaseo-outreach'));
	return reload();
}
