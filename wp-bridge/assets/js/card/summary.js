/**
 * How a card's state reads, on the board and in its panel: badges and the sequence line.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { when } from '../common/format.js';
import { DNC_REASONS, EMAIL_STATUS } from '../common/labels.js';

export function badge(text, className) {
	return h('span', { className: 'ao-badge ' + className, text });
}

function sequenceText(seq) {
	if (seq.status !== 'active') {
		return sprintf(
			/* translators: 1: sequence name, 2: status (completed or stopped) */
			__('%1$s (%2$s)', 'almaseo-outreach'),
			seq.name,
			seq.stop_reason ? seq.status + ': ' + seq.stop_reason : seq.status
		);
	}
	if (!seq.next_step_at) {
		return sprintf(
			/* translators: 1: sequence name, 2: step number */
			__('%1$s · step %2$d sent', 'almaseo-outreach'),
			seq.name,
			seq.current_step || 0
		);
	}
	return sprintf(
		/* translators: 1: sequence name, 2: step, 3: steps, 4: date */
		__('%1$s · next: step %2$d of %3$d, %4$s', 'almaseo-outreach'),
		seq.name,
		(seq.current_step || 0) + 1,
		seq.total_steps || (seq.current_step || 0) + 1,
		when(seq.next_step_at)
	);
}

/**
 * The card's sequence line; why a step waits is shown only while the sequence runs.
 *
 * @param {Object} seq Sequence summary or null.
 * @return {window.HTMLElement|null} Line.
 */
export function sequenceLine(seq) {
	if (!seq) {
		return null;
	}
	const text = sequenceText(seq);
	const error = seq.status === 'active' ? seq.last_error : null;
	return h(
		'span',
		{
			className: 'ao-card-sequence ao-sequence-' + seq.status,
			dataset: { sequenceStatus: seq.status },
			title: error ? text + ' — ' + error : text,
		},
		[
			h('span', {
				className: 'dashicons dashicons-controls-repeat',
				'aria-hidden': 'true',
			}),
			text,
			// Server text (a limit, a SendGrid refusal being retried): textContent only.
			error
				? h('span', {
						className: 'ao-card-sequence-error',
						text: error,
					})
				: null,
		]
	);
}

export function statusBadge(status) {
	const node = badge(
		EMAIL_STATUS[status] || status,
		'ao-email-status ao-status-' + status
	);
	node.dataset.status = status;
	return node;
}

/**
 * "Do not contact" when the card's contact is on the list (the service names the entry
 * and why in `do_not_contact`), so nobody finds out only when a send is refused.
 *
 * @param {Object} card Card.
 * @return {window.HTMLElement|null} Badge.
 */
export function dncBadge(card) {
	const listed = card.do_not_contact;
	if (!listed) {
		return null;
	}
	const node = badge(
		__('Do not contact', 'almaseo-outreach'),
		'ao-badge-dnc'
	);
	node.title = sprintf(
		/* translators: 1: the address or domain on the list, 2: why it is there */
		__('%1$s is on the do-not-contact list: %2$s', 'almaseo-outreach'),
		listed.value || card.contact_email || '',
		DNC_REASONS[listed.reason] || listed.reason || ''
	);
	return node;
}
