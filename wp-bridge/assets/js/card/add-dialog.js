/**
 * Add Opportunity: the card's fields and its column. A page already on the board is named
 * with a link to its card; pressing Add again adds it anyway.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { get, post } from '../common/api.js';
import { notice } from '../common/notices.js';
import { findCard } from '../common/state.js';
import { columnLabel, columnOptions } from '../common/labels.js';
import { button } from '../common/controls.js';
import { form } from '../common/form.js';
import { modal, showError, footer } from '../common/modal.js';
import { submit } from '../common/save.js';
import { CARD_FIELDS } from './card-fields.js';
import { lookupDuplicate } from './duplicates.js';
import { openDetail } from './panel.js';

const addFields = () => [
	{
		...CARD_FIELDS.source_url,
		label: __('Source URL (the page that should link)', 'almaseo-outreach'),
		required: true,
	},
	{
		...CARD_FIELDS.target_url,
		label: __('Target URL (your page)', 'almaseo-outreach'),
	},
	CARD_FIELDS.anchor_text,
	CARD_FIELDS.contact_email,
	CARD_FIELDS.contact_name,
	{
		name: 'status',
		label: __('Column', 'almaseo-outreach'),
		type: 'select',
		options: columnOptions,
		value: 'new',
	},
	{ ...CARD_FIELDS.notes, rows: 3 },
];

function duplicateLink(target, existing) {
	target.error.appendChild(document.createTextNode(' '));
	target.error.appendChild(
		h('button', {
			type: 'button',
			className: 'button-link ao-open-duplicate',
			text: __('Open the existing card', 'almaseo-outreach'),
			onClick: () => {
				target.close();
				// Why: a card added elsewhere may not be on this board yet; ask for it.
				const known = findCard(existing.id);
				(known
					? Promise.resolve(known)
					: get('/opportunities/' + existing.id)
				).then(openDetail, (error) => notice(error.message, 'error'));
			},
		})
	);
}

function warnDuplicate(target, existing) {
	showError(target, {
		message: sprintf(
			/* translators: 1: domain, 2: column name */
			__(
				'This page is already on the board (%1$s, in %2$s). Press Add again to add it anyway.',
				'almaseo-outreach'
			),
			existing.domain,
			columnLabel(existing.status)
		),
		fields: {},
	});
	duplicateLink(target, existing);
}

export function addDialog() {
	const target = modal(__('Add Opportunity', 'almaseo-outreach'), 'add');
	const fields = form('Opportunity', addFields());
	target.body.append(...fields.nodes);
	target.guard = fields.changed; // Escape and Cancel ask before dropping what was typed
	let warned = '';
	const create = (data) =>
		submit(
			target,
			() => post('/opportunities', data),
			__('Opportunity added.', 'almaseo-outreach')
		).catch((error) => {
			const id = error.status === 409 && error.body && error.body.id;
			if (id) {
				duplicateLink(target, { id });
			}
		});
	const save = () => {
		const data = fields.values();
		if (!data.source_url || warned === data.source_url) {
			return create(data);
		}
		return lookupDuplicate(data.source_url).then((existing) => {
			if (!existing) {
				return create(data);
			}
			warned = data.source_url;
			warnDuplicate(target, existing);
		});
	};
	footer(target, [
		button(__('Add', 'almaseo-outreach'), save, 'button-primary ao-save'),
	]);
}
