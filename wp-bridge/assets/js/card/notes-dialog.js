/**
 * A card's notes in a dialog of their own (read-only without `edit`).
 */
import { __ } from '../common/i18n.js';
import { can } from '../common/config.js';
import { put } from '../common/api.js';
import { form } from '../common/form.js';
import { cardModal, footer } from '../common/modal.js';
import { saveButton } from '../common/save.js';
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
