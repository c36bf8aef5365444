/**
 * A card's notes in a dialog of their own (read-only without `edit`).
 */
import { __ } from '../shared/i18n.js';
import { can } from '../shared/config.js';
import { put } from '../shared/api.js';
import { form } from '../shared/form.js';
import { cardModal, footer } from '../shared/modal.js';
import { saveButton } from '../shared/save.js';
import { CARD_FIELDS } from './card-fields.js';

export function notesDialog(card) {
	const target = cardModal(
		card,
		/* translators: %s: domain */ __('Notes for %s', 'almaseo-outreach'),
		'notes'
	);
	const fields = form('Notes', [{ ...CARD_FIELDS.notes, rows: 8 }], {
		readOnly: !can('edit'),
	});
	fields.fill({ notes: card.notes });
	target.body.append(...fields.nodes);
	target.guard = fields.changed; // Escape and Cancel ask before dropping edits
	footer(
		target,
		can('edit')
			? [
					saveButton(
						target,
						__('Save notes', 'almaseo-outreach'),
						() =>
							put(
								'/opportunities/' + card.id + '/notes',
								fields.values()
							),
						__('Notes saved.', 'almaseo-outreach')
					),
				]
			: []
	);
}
