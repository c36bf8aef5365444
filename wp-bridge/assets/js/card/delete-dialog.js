/**
 * Delete a card, after a question that opens on Cancel.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { del } from '../common/api.js';
import { modal, footer } from '../common/modal.js';
import { saveButton } from '../common/save.js';

export function removeDialog(card) {
	// Why: a destructive dialog opens on Cancel, so Enter does not delete by accident.
	const target = modal(
		__('Delete opportunity?', 'almaseo-outreach'),
		'delete',
		{ focus: '.ao-cancel' }
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
