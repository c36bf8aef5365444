/**
 * The card detail panel: every editable field, then the card's emails and sequence.
 */
import { cardActivity } from './activity.js';
import { __, sprintf } from './i18n.js';
import { h } from './dom.js';
import { can } from './config.js';
import { patch } from './api.js';
import { field, showError, clearError, button } from './modal.js';
import { notice } from './notices.js';
import { lookupDuplicate } from './duplicates.js';
import { findCard } from './state.js';
import { refresh } from './sync.js';
import { MAX, input, textarea, orNull, cardModal } from './forms.js';
import { emailList } from './history.js';
import { sequenceLine, statusBadge } from './card.js';
import { columnLabel } from './labels.js';
import { sendDialog, assignSequenceDialog } from './send.js';
import { stopSequenceDialog } from './dialogs.js';
import { linkPanel } from './links.js';

const FIELDS = [
	['source_url', () => __('Source URL', 'almaseo-outreach'), 'url', MAX.url],
	['target_url', () => __('Target URL', 'almaseo-outreach'), 'url', MAX.url],
	[
		'anchor_text',
		() => __('Anchor text', 'almaseo-outreach'),
		'text',
		MAX.anchor_text,
	],
	[
		'contact_email',
		() => __('Contact email', 'almaseo-outreach'),
		'email',
		MAX.email,
	],
	['contact_name', () => __('Contact name', 'almaseo-outreach'), 'text', 200],
];

/**
 * Save the changed fields of a card (after a same-page check when its URL changes).
 *
 * @param {Object}             card   Card.
 * @param {Object}             fields Field wrappers by name.
 * @param {window.HTMLElement} form   The form (remembers a duplicate warning).
 * @param {Object}             target Panel handles.
 * @return {Promise} Done.
 */
function saveDetails(card, fields, form, target) {
	clearError(target);
	const data = {};
	Object.keys(fields).forEach((name) => {
		const value = fields[name].control.value;
		const now = name === 'notes' ? value : orNull(value);
		if (
			now !== (name === 'notes' ? card.notes || '' : card[name] || null)
		) {
			data[name] = now;
		}
	});
	if (!Object.keys(data).length) {
		notice(__('Nothing to save.', 'almaseo-outreach'), 'info');
		return Promise.resolve();
	}
	const check =
		data.source_url && !form.dataset.warned
			? lookupDuplicate(data.source_url, card.id)
			: Promise.resolve(null);
	return check.then((twin) => {
		if (twin) {
			form.dataset.warned = '1';
			showError(target, {
				message: sprintf(
					/* translators: %s: domain */
					__(
						'Another card is for the same page (%s). Save again to keep both.',
						'almaseo-outreach'
					),
					twin.domain
				),
				fields: {},
			});
			return;
		}
		return patch('/opportunities/' + card.id, data)
			.then((saved) => {
				Object.assign(card, saved || data);
				notice(__('Card saved.', 'almaseo-outreach'), 'success');
				return refresh();
			})
			.catch((error) => showError(target, error));
	});
}

function detailsForm(card, target) {
	const fields = {};
	FIELDS.forEach(([name, label, type, max]) => {
		if (name === 'contact_name' && !(name in card)) {
			return; // Why: shown only where the service has the field.
		}
		fields[name] = field(
			label(),
			name,
			input(type, card[name] || '', { maxlength: max })
		);
	});
	fields.notes = field(
		__('Notes', 'almaseo-outreach'),
		'notes',
		textarea(card.notes, 5, { maxlength: MAX.notes })
	);
	const form = h(
		'div',
		{ className: 'ao-detail-form' },
		Object.values(fields)
	);
	if (!can('edit')) {
		Object.values(fields).forEach((f) => (f.control.readOnly = true));
		return form;
	}
	const save = () => saveDetails(card, fields, form, target);
	form.appendChild(
		h('p', { className: 'ao-detail-actions' }, [
			button(
				__('Save changes', 'almaseo-outreach'),
				save,
				'button-primary ao-save'
			),
		])
	);
	return form;
}

function emailsPanel(card, target) {
	const list = emailList(card, target);
	const actions = can('send')
		? [
				button(
					__('Send Email', 'almaseo-outreach'),
					() => sendDialog(card),
					'ao-action-send'
				),
			]
		: [];
	return h('div', {}, [h('p', {}, actions), list]);
}

function sequencePanel(card) {
	const seq = card.sequence;
	const active = seq && seq.status === 'active';
	const parts = [
		seq
			? h('p', {}, [sequenceLine(seq)])
			: h('p', { text: __('No sequence yet.', 'almaseo-outreach') }),
	];
	if (can('send')) {
		parts.push(
			active
				? button(
						__('Stop Sequence', 'almaseo-outreach'),
						() => stopSequenceDialog(card),
						'ao-action-stop-sequence'
					)
				: button(
						__('Start Sequence', 'almaseo-outreach'),
						() => assignSequenceDialog(card),
						'ao-action-start-sequence'
					)
		);
	}
	return h('div', {}, parts);
}

function tabs(panels) {
	const bar = h('div', { className: 'ao-tabs', role: 'tablist' });
	const bodies = [];
	panels.forEach(([key, label, build], i) => {
		const body = h('div', {
			className: 'ao-tab-panel',
			role: 'tabpanel',
			hidden: i > 0,
			dataset: { tab: key },
		});
		const tab = h('button', {
			type: 'button',
			role: 'tab',
			className: 'ao-tab ao-tab-' + key,
			'aria-selected': i === 0 ? 'true' : 'false',
			text: label,
		});
		let built = false;
		const show = () => {
			bar.querySelectorAll('[role=tab]').forEach((t) =>
				t.setAttribute('aria-selected', 'false')
			);
			bodies.forEach((b) => (b.hidden = true));
			tab.setAttribute('aria-selected', 'true');
			body.hidden = false;
			if (!built) {
				built = true;
				body.appendChild(build());
			}
		};
		tab.addEventListener('click', show);
		bar.appendChild(tab);
		bodies.push(body);
		if (i === 0) {
			built = true;
			body.appendChild(build());
		}
	});
	return h('div', {}, [bar, ...bodies]);
}

/**
 * Open the detail panel of a card.
 *
 * @param {Object} card Card (its latest version is looked up by id).
 */
export function openDetail(card) {
	const current = findCard(card.id) || card;
	const target = cardModal(
		current,
		/* translators: %s: domain */ __('Card — %s', 'almaseo-outreach'),
		'card',
		{ kind: 'drawer' }
	);
	target.body.appendChild(
		h('div', { className: 'ao-detail-summary' }, [
			h('span', {
				className: 'ao-detail-column',
				text: columnLabel(current.status),
			}),
			current.email_status ? statusBadge(current.email_status) : null,
			current.sequence ? sequenceLine(current.sequence) : null,
		])
	);
	target.body.appendChild(
		tabs([
			[
				'details',
				__('Details', 'almaseo-outreach'),
				() => detailsForm(current, target),
			],
			[
				'emails',
				__('Emails', 'almaseo-outreach'),
				() => emailsPanel(current, target),
			],
			[
				'sequence',
				__('Sequence', 'almaseo-outreach'),
				() => sequencePanel(current),
			],
			[
				'link',
				__('Link', 'almaseo-outreach'),
				() => linkPanel(current, target),
			],
			...(can('settings')
				? [
						[
							'activity',
							__('Activity', 'almaseo-outreach'),
							() => cardActivity(current),
						],
					]
				: []),
		])
	);
}
