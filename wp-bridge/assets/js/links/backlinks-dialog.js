/**
 * The Watched backlinks dialog: the site's existing backlinks, re-checked by the service;
 * a lost one comes back to the board as a Lost Link card.
 */
import { __, _n, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { del, get, post } from '../common/api.js';
import { when } from '../common/format.js';
import { notice } from '../common/notices.js';
import { button } from '../common/controls.js';
import { form } from '../common/form.js';
import { modal, showError, clearError, footer } from '../common/modal.js';
import { LINK_STATUS } from './link-status.js';

const PAGE_SIZE = 100;

function row(link, reload, target) {
	const status = link.lost_at ? 'lost' : link.status;
	return h(
		'li',
		{ className: 'ao-backlink', dataset: { id: String(link.id), status } },
		[
			h('span', {
				className: 'ao-badge ao-link-' + link.status,
				text: link.lost_at
					? __('Lost', 'almaseo-outreach')
					: LINK_STATUS[link.status] || link.status,
			}),
			' ',
			h('a', {
				href: link.source_url,
				target: '_blank',
				rel: 'noopener noreferrer',
				text: link.source_url,
			}),
			h('span', {
				className: 'ao-backlink-detail',
				text:
					' → ' +
					(link.target_url ||
						__('any page of the site', 'almaseo-outreach')) +
					(link.checked_at
						? ' · ' +
							sprintf(
								/* translators: %s: date and time */
								__('checked %s', 'almaseo-outreach'),
								when(link.checked_at)
							)
						: ''),
			}),
			button(
				__('Delete', 'almaseo-outreach'),
				() =>
					del('/backlinks/' + link.id)
						.then(reload)
						.catch((error) => showError(target, error)),
				'button-link-delete ao-delete-backlink'
			),
		]
	);
}

/**
 * Backlinks from pasted text: one per line, "source URL [target URL]".
 *
 * @param {string} text Pasted lines.
 * @return {Object[]} Backlinks.
 */
export function parseList(text) {
	return (
		text
			.split(/\r?\n/)
			.map((line) => line.trim().split(/[\s,;]+/))
			// Why: a CSV's header line ("source_url,target_url") is no URL.
			.filter((parts) => /^https?:\/\//i.test(parts[0]))
			.map(([source, target]) => ({
				source_url: source,
				target_url: /^https?:\/\//i.test(target || '') ? target : null,
			}))
	);
}

const watchFields = () => [
	{
		name: 'source_url',
		label: __('Source URL', 'almaseo-outreach'),
		type: 'url',
		trim: true,
	},
	{
		name: 'target_url',
		label: __('Target URL (optional)', 'almaseo-outreach'),
		type: 'url',
	},
	{
		name: 'backlinks',
		label: __(
			'Or paste a list (one per line: source URL, then target URL)',
			'almaseo-outreach'
		),
		type: 'textarea',
		rows: 5,
		schema: false, // lines of URLs, parsed here
	},
];

/**
 * The backlinks to add: the one typed, else the pasted list.
 *
 * @param {Object} values The form's values.
 * @return {Object[]} Backlinks.
 */
function typedOrPasted(values) {
	const { source_url: source, target_url: target } = values;
	return source
		? [{ source_url: source, target_url: target }]
		: parseList(values.backlinks);
}

/**
 * The add form: one backlink, a pasted list or an uploaded file; Watch adds them.
 *
 * @param {Object}   target Dialog handles.
 * @param {Function} reload Reloads the list.
 * @return {window.HTMLElement} The form.
 */
function watchForm(target, reload) {
	const f = form('BacklinkIn', watchFields());
	const upload = h('input', {
		type: 'file',
		accept: '.csv,.txt,text/csv,text/plain',
		className: 'ao-backlinks-file',
		'aria-label': __('Upload a list', 'almaseo-outreach'),
	});
	upload.addEventListener('change', () => {
		const file = upload.files && upload.files[0];
		if (file) {
			file.text().then((text) => f.fill({ backlinks: text }));
		}
	});
	const add = () => {
		clearError(target);
		const items = typedOrPasted(f.values());
		if (!items.length) {
			notice(__('Nothing to add.', 'almaseo-outreach'), 'info');
			return Promise.resolve();
		}
		return post('/backlinks', { backlinks: items })
			.then((answer) => {
				notice(
					sprintf(
						/* translators: 1: backlinks added, 2: already watched */
						__(
							'%1$d added, %2$d already watched.',
							'almaseo-outreach'
						),
						answer.created,
						answer.existing
					),
					'success'
				);
				f.fill({ source_url: '', target_url: '', backlinks: '' });
				return reload();
			})
			.catch((error) => showError(target, error));
	};
	return h('div', { className: 'ao-backlinks-form' }, [
		...f.nodes,
		h('p', {}, [upload]),
		h('p', {}, [
			button(
				__('Watch', 'almaseo-outreach'),
				add,
				'button-primary ao-add-backlinks'
			),
		]),
	]);
}

export function backlinksDialog() {
	const target = modal(
		__('Watched backlinks', 'almaseo-outreach'),
		'backlinks'
	);
	const summary = h('p', { className: 'ao-backlinks-summary' });
	const list = h('ul', { className: 'ao-backlinks' });
	const reload = () =>
		get('/backlinks', { page_size: PAGE_SIZE })
			.then((page) => {
				clear(list);
				summary.textContent = sprintf(
					/* translators: %d: number of watched backlinks */
					_n(
						'%d watched backlink.',
						'%d watched backlinks.',
						page.total,
						'almaseo-outreach'
					),
					page.total
				);
				page.items.forEach((link) =>
					list.appendChild(row(link, reload, target))
				);
			})
			.catch((error) => showError(target, error));
	target.body.append(watchForm(target, reload), summary, list);
	footer(target, [], __('Close', 'almaseo-outreach'));
	reload();
}
