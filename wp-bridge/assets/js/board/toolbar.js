/**
 * The board's toolbar: the search box, one button per screen the user may open, the
 * sort and filters, and the saved views.
 */
import { __ } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { can } from '../common/config.js';
import { setQuery } from '../common/state.js';
import { addDialog } from '../card/add-dialog.js';
import { templatesDialog } from '../templates/templates-dialog.js';
import { sequencesDialog } from '../sequences/sequences-dialog.js';
import { sendingSettingsDialog } from '../settings/sending-dialog.js';
import { backlinksDialog } from '../links/backlinks-dialog.js';
import { doNotContactDialog } from '../settings/do-not-contact.js';
import { importDialog } from '../transfer/import-dialog.js';
import { exportBoard } from '../transfer/export.js';
import { insightsDialog } from '../insights/insights-dialog.js';
import { activityDialog } from '../activity/activity-log.js';
import { viewControls } from './view-controls.js';
import { savedViews } from './saved-views.js';
import { projectsDialog } from '../projects/projects-dialog.js';

// [label, class, what it opens, the capability it needs (null: every board user)].
const BUTTONS = [
	[
		__('Add Opportunity', 'almaseo-outreach'),
		'button-primary ao-open-add',
		addDialog,
		'edit',
	],
	[
		__('Templates', 'almaseo-outreach'),
		'ao-open-templates',
		templatesDialog,
		null,
	],
	[
		__('Sequences', 'almaseo-outreach'),
		'ao-open-sequences',
		sequencesDialog,
		null,
	],
	[
		__('Watched backlinks', 'almaseo-outreach'),
		'ao-open-backlinks',
		backlinksDialog,
		'edit',
	],
	[
		__('Projects', 'almaseo-outreach'),
		'ao-open-projects',
		projectsDialog,
		null,
	],
	[__('Import', 'almaseo-outreach'), 'ao-open-import', importDialog, 'edit'],
	[__('Export', 'almaseo-outreach'), 'ao-export', exportBoard, null],
	[
		__('Insights', 'almaseo-outreach'),
		'ao-open-insights',
		insightsDialog,
		null,
	],
	[
		__('Sending settings', 'almaseo-outreach'),
		'ao-open-site',
		sendingSettingsDialog,
		'settings',
	],
	[
		__('Activity', 'almaseo-outreach'),
		'ao-open-activity',
		activityDialog,
		'settings',
	],
	[
		__('Do not contact', 'almaseo-outreach'),
		'ao-open-suppressions',
		doNotContactDialog,
		'settings',
	],
];

export function toolbar() {
	const search = h('input', {
		type: 'search',
		id: 'ao-search',
		className: 'ao-search',
		placeholder: __('Search URL, anchor text, notes…', 'almaseo-outreach'),
	});
	search.addEventListener('input', () => setQuery(search.value));
	const buttons = BUTTONS.filter(
		([, , , cap]) => cap === null || can(cap)
	).map(([label, className, onClick]) =>
		h('button', {
			type: 'button',
			className: 'button ' + className,
			text: label,
			onClick,
		})
	);
	const view = viewControls();
	return h('div', { className: 'ao-toolbar' }, [
		h('label', {
			for: 'ao-search',
			className: 'screen-reader-text',
			text: __('Search opportunities', 'almaseo-outreach'),
		}),
		search,
		h('div', { className: 'ao-toolbar-buttons' }, buttons),
		h('div', { className: 'ao-toolbar-view' }, [
			view.node,
			savedViews(view.controls, search),
		]),
	]);
}
