/**
 * A card's sequence: start one (step 1 is sent at once) or stop the one running.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { get, del, post } from '../common/api.js';
import { addOptions, description } from '../common/controls.js';
import { form } from '../common/form.js';
import { cardModal, footer, showError } from '../common/modal.js';
import { saveButton } from '../common/save.js';

/**
 * Start Sequence: which sequence, and the recipient (the card's contact by default).
 *
 * @param {Object} card Card.
 */
export function startSequenceDialog(card) {
	const target = cardModal(
		card,
		/* translators: %s: domain */
		__('Assign Sequence — %s', 'almaseo-outreach'),
		'assign-sequence'
	);
	const fields = form('EnrollRequest', [
		{
			name: 'sequence_id',
			label: __('Sequence', 'almaseo-outreach'),
			type: 'select',
		},
		{
			name: 'to',
			label: __('Recipient', 'almaseo-outreach'),
			type: 'email',
			value: card.contact_email,
			trim: true,
		},
	]);
	target.body.append(
		...fields.nodes,
		description(
			__(
				'Step 1 is sent at once; later steps follow their delays until a stop condition fires.',
				'almaseo-outreach'
			)
		)
	);
	get('/sequences')
		.then((list) => {
			addOptions(fields.fields.sequence_id.control, list);
			if (!list.length) {
				showError(target, {
					message: __(
						'Create a sequence first (Sequences button above the board).',
						'almaseo-outreach'
					),
					fields: {},
				});
			}
		})
		.catch((error) => showError(target, error));
	footer(target, [
		saveButton(
			target,
			__('Start Sequence', 'almaseo-outreach'),
			() =>
				post(
					'/opportunities/' + card.id + '/sequence',
					fields.values()
				),
			__('Sequence started; step 1 sent.', 'almaseo-outreach')
		),
	]);
}

/**
 * Stop Sequence: no further step is sent.
 *
 * @param {Object} card Card.
 */
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
