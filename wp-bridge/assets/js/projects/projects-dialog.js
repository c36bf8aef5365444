/**
 * The Projects dialog (docs/api.md §19): the site's projects with their counts, add one,
 * archive or delete it, and its Report view with "Copy share link" and "Revoke".
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

function actions(project, reload, target) {
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

function row(project, reload, target) {
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
			...actions(project, reload, target),
		]
	);
}

function addForm(reload, target) {
	const name = h('input', { type: 'text', id: 'ao-project-name' });
	const client = h('input', { type: 'text', id: 'ao-project-client' });
	const color = h('input', {
		type: 'color',
		id: 'ao-project-color',
		value: '#2271b1',
	});
	const add = () => {
		clearError(target);
		return post('/projects', {
			name: name.value,
			client: client.value || null,
			color: color.value,
		})
			.then(() => {
				name.value = client.value = '';
				notice(__('Project added.', 'almaseo-outreach'), 'success');
				return reload();
			})
			.catch((error) => showError(target, error));
	};
	const label = (control, text) => h('label', { for: control.id, text });
	return h('p', { className: 'ao-project-add' }, [
		label(name, __('Name', 'almaseo-outreach')),
		name,
		label(client, __('Client', 'almaseo-outreach')),
		client,
		label(color, __('Colour', 'almaseo-outreach')),
		color,
		button(__('Add project', 'almaseo-outreach'), add, 'ao-add-project'),
	]);
}

/**
 * Open the Projects dialog.
 */
export function projectsDialog() {
	const target = modal(__('Projects', 'almaseo-outreach'), 'projects');
	const list = h('ul', { className: 'ao-projects' });
	const reload = () =>
		get('/projects')
			.then((projects) => {
				clear(list);
				projects.forEach((p) => list.append(row(p, reload, target)));
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
		target.body.append(addForm(reload, target));
	}
	footer(target, [], __('Close', 'almaseo-outreach'));
	return reload();
}
