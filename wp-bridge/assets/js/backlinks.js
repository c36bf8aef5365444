/**
 * The Watched backlinks dialog: the site's existing backlinks, re-checked by the service;
 * a lost one comes back to the board as a Lost Link card.
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { del, get, post } from './api.js';
import { when } from './format.js';
import {
	modal as openModal,
	field,
	button,
	showError,
	clearError,
} from './modal.js';
import { MAX, input, textarea, orNull, footer } from './forms.js';
import { notice } from './notices.js';
import { LINK_STATUS } from './links.js';

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

export function backlinksDialog() {
	const modal = openModal(
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
					__('%d watched backlinks.', 'almaseo-outreach'),
					page.total
				);
				page.items.forEach((link) =>
					list.appendChild(row(link, reload, modal))
				);
			})
			.catch((error) => showError(modal, error));
	const source = field(
		__('Source URL', 'almaseo-outreach'),
		'source_url',
		input('url', '', { maxlength: MAX.url })
	);
	const target = field(
		__('Target URL (optional)', 'almaseo-outreach'),
		'target_url',
		input('url', '', { maxlength: MAX.url })
	);
	const pasted = field(
		__(
			'Or paste a list (one per line: source URL, then target URL)',
			'almaseo-outreach'
		),
		'backlinks',
		textarea('', 5)
	);
	const upload = h('input', {
		type: 'file',
		accept: '.csv,.txt,text/csv,text/plain',
		className: 'ao-backlinks-file',
		'aria-label': __('Upload a list', 'almaseo-outreach'),
	});
	upload.addEventListener('change', () => {
		const file = upload.files && upload.files[0];
		if (file) {
			file.text().then((text) => (pasted.control.value = text));
		}
	});
	const add = () => {
		clearError(modal);
		const items = source.control.value.trim()
			? [
					{
						source_url: source.control.value.trim(),
						target_url: orNull(target.control.value),
					},
				]
			: parseList(pasted.control.value);
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
				source.control.value = '';
				target.control.value = '';
				pasted.control.value = '';
				return reload();
			})
			.catch((error) => showError(modal, error));
	};
	modal.body.appendChild(
		h('div', { className: 'ao-backlinks-form' }, [
			source,
			target,
			pasted,
			h('p', {}, [upload]),
			h('p', {}, [
				button(
					__('Watch', 'almaseo-outreach'),
					add,
					'button-primary ao-add-backlinks'
				),
			]),
		])
	);
	modal.body.appendChild(summary);
	modal.body.appendChild(list);
	footer(modal, [], __('Close', 'almaseo-outreach'));
	reload();
}
