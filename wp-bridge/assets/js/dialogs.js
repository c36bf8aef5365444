/**
 * The small card dialogs: add, move, notes, delete. Failed saves keep what was typed.
 */
import { __, sprintf } from './i18n.js';
import { h } from './dom.js';
import { can } from './config.js';
import { get, post, put, del } from './api.js';
import { notice } from './notices.js';
import { modal, field, showError, button } from './modal.js';
import { COLUMNS, columnLabel } from './labels.js';
import { lookupDuplicate } from './duplicates.js';
import { findCard } from './state.js';
import { openDetail } from './detail.js';
import {
	MAX,
	input,
	textarea,
	select,
	orNull,
	footer,
	saveButton,
	cardModal,
	submit,
} from './forms.js';

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

function addFields() {
	return {
		source_url: field(
			__('Source URL (the page that should link)', 'almaseo-outreach'),
			'source_url',
			input('url', '', { required: true, maxlength: MAX.url })
		),
		target_url: field(
			__('Target URL (your page)', 'almaseo-outreach'),
			'target_url',
			input('url', '', { maxlength: MAX.url })
		),
		anchor_text: field(
			__('Anchor text', 'almaseo-outreach'),
			'anchor_text',
			input('text', '', { maxlength: MAX.anchor_text })
		),
		contact_email: field(
			__('Contact email', 'almaseo-outreach'),
			'contact_email',
			input('email', '', { maxlength: MAX.email })
		),
		contact_name: field(
			__('Contact name', 'almaseo-outreach'),
			'contact_name',
			input('text', '', { maxlength: 200 })
		),
		status: field(
			__('Column', 'almaseo-outreach'),
			'status',
			select(
				COLUMNS.map((c) => [c.key, c.label]),
				'new'
			)
		),
		notes: field(
			__('Notes', 'almaseo-outreach'),
			'notes',
			textarea('', 3, { maxlength: MAX.notes })
		),
	};
}

export function addDialog() {
	const target = modal(__('Add Opportunity', 'almaseo-outreach'), 'add');
	const f = addFields();
	Object.values(f).forEach((node) => target.body.appendChild(node));
	let warned = '';
	const values = () => ({
		source_url: f.source_url.control.value.trim(),
		target_url: orNull(f.target_url.control.value),
		anchor_text: orNull(f.anchor_text.control.value),
		contact_email: orNull(f.contact_email.control.value),
		contact_name: orNull(f.contact_name.control.value),
		status: f.status.control.value,
		notes: f.notes.control.value,
	});
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
		const data = values();
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

export function moveDialog(card) {
	const target = cardModal(
		card,
		/* translators: %s: domain */ __('Move %s to…', 'almaseo-outreach'),
		'move'
	);
	const column = field(
		__('Column', 'almaseo-outreach'),
		'status',
		select(
			COLUMNS.map((c) => [c.key, c.label]),
			card.status
		)
	);
	const where = field(
		__('Position', 'almaseo-outreach'),
		'position',
		select(
			[
				['end', __('At the bottom', 'almaseo-outreach')],
				['top', __('At the top', 'almaseo-outreach')],
			],
			'end'
		)
	);
	target.body.appendChild(column);
	target.body.appendChild(where);
	target.body.appendChild(
		h('p', {
			className: 'description',
			text: __(
				'Tip: on a focused card, Alt+Arrow keys move it too.',
				'almaseo-outreach'
			),
		})
	);
	footer(target, [
		saveButton(
			target,
			__('Move', 'almaseo-outreach'),
			() => {
				const data = { status: column.control.value };
				if (where.control.value === 'top') {
					data.position = 0;
				}
				return post('/opportunities/' + card.id + '/move', data);
			},
			__('Card moved.', 'almaseo-outreach')
		),
	]);
}

export function notesDialog(card) {
	const target = cardModal(
		card,
		/* translators: %s: domain */ __('Notes for %s', 'almaseo-outreach'),
		'notes'
	);
	const notes = field(
		__('Notes', 'almaseo-outreach'),
		'notes',
		textarea(card.notes, 8, { maxlength: MAX.notes })
	);
	target.body.appendChild(notes);
	if (!can('edit')) {
		notes.control.readOnly = true;
		footer(target, []);
		return;
	}
	footer(target, [
		saveButton(
			target,
			__('Save notes', 'almaseo-outreach'),
			() =>
				put('/opportunities/' + card.id + '/notes', {
					notes: notes.control.value,
				}),
			__('Notes saved.', 'almaseo-outreach')
		),
	]);
}

export function removeDialog(card) {
	// Why: a destructive dialog opens on Cancel, so Enter does not delete by accident.
	const target = modal(
		__('Delete opportunity?', 'almaseo-outreach'),
		'delete',
		{
			focus: '.ao-cancel',
		}
	);
	target.body.appendChild(
		h('p', {
			text: sprintf(
				/* translators: %s: domain */
				__(
					'Delete the card for %s? Its sent emails stay in the metrics. Any running sequence stops.',
					'almaseo-outreach'
				),
				card.domain
			),
		})
	);
	footer(target, [
		saveButton(
			target,
			__('Delete', 'almaseo-outreach'),
			() => del('/opportunities/' + card.id),
			__('Opportunity deleted.', 'almaseo-outreach'),
			'button-primary button-link-delete ao-confirm-delete'
		),
	]);
}

export function stopSequenceDialog(card) {
	const target = cardModal(
		card,
		/* translators: %s: domain */ __(
			'Stop Sequence — %s',
			'almaseo-outreach'
		),
		'stop-sequence'
	);
	target.body.appendChild(
		h('p', {
			text: sprintf(
				/* translators: 1: sequence name, 2: domain */
				__(
					'Stop “%1$s” for %2$s? No further step will be sent.',
					'almaseo-outreach'
				),
				card.sequence.name,
				card.domain
			),
		})
	);
	footer(target, [
		saveButton(
			target,
			__('Stop Sequence', 'almaseo-outreach'),
			() => del('/opportunities/' + card.id + '/sequence'),
			__('Sequence stopped.', 'almaseo-outreach')
		),
	]);
}
