/**
 * A card's sequence: start one (step 1 is sent at once, or waits in the sending queue)
 * or stop the one running.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { get, del, post } from '../common/api.js';
import { addOptions, description } from '../common/controls.js';
import { form } from '../common/form.js';
import { cardModal, footer, showError } from '../common/modal.js';
import { saveButton } from '../common/save.js';
import { when } from '../common/format.js';

/**
 * What starting a sequence did: step 1 sent, or waiting in the sending queue (202).
 *
 * @param {Object} enrollment The enrollment answered.
 * @return {string} Notice.
 */
const started = (enrollment) =>
	enrollment && enrollment.scheduled_for
		? sprintf(
				/* translators: %s: date and time in the site's zone */
				__(
					'Sequence started; step 1 waits in the sending queue until %s.',
					'almaseo-outreach'
				),
				when(enrollment.scheduled_for)
			)
		: __('Sequence started; step 1 sent.', 'almaseo-outreach');

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
			started
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
