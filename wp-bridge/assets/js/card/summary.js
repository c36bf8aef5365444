/**
 * How a card's state reads, on the board and in its panel: badges and the sequence line.
 */
import { __, sprintf } from '../shared/i18n.js';
import { h } from '../shared/dom.js';
import { when } from '../shared/format.js';
import { EMAIL_STATUS } from '../shared/labels.js';

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
