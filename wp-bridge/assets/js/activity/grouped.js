/**
 * Activity entries that group one bulk action over `count` cards (docs/api.md §21):
 * "admin moved 40 cards to Queued" is in sentences.js (it names the column), these are
 * the others.
 */
import { _n, sprintf } from '../common/i18n.js';
import { reasonLabel } from './activity-labels.js';

/**
 * Cards added, imported, deleted or edited at once.
 *
 * @param {Object} entry An entry with `count` > 1.
 * @param {string} who   The person.
 * @return {string} The sentence.
 */
export function cards(entry, who) {
	const n = entry.count;
	switch (entry.action) {
		case 'opportunity.create':
			return sprintf(
				/* translators: 1: person, 2: number of cards */
				_n(
					'%1$s added %2$d card',
					'%1$s added %2$d cards',
					n,
					'almaseo-outreach'
				),
				who,
				n
			);
		case 'opportunity.import':
			return sprintf(
				/* translators: 1: person, 2: number of cards */
				_n(
					'%1$s imported %2$d card',
					'%1$s imported %2$d cards',
					n,
					'almaseo-outreach'
				),
				who,
				n
			);
		case 'opportunity.delete':
			return sprintf(
				/* translators: 1: person, 2: number of cards */
				_n(
					'%1$s deleted %2$d card',
					'%1$s deleted %2$d cards',
					n,
					'almaseo-outreach'
				),
				who,
				n
			);
		default:
			return sprintf(
				/* translators: 1: person, 2: number of cards */
				_n(
					'%1$s edited %2$d card',
					'%1$s edited %2$d cards',
					n,
					'almaseo-outreach'
				),
				who,
				n
			);
	}
}

// A grouped entry of emails or sequences: one bulk action over `count` cards.
export function many(entry, who) {
	const n = entry.count;
	switch (entry.action) {
		case 'email.reserve':
			return sprintf(
				/* translators: 1: person, 2: number of emails */
				_n(
					'%1$s sent %2$d email',
					'%1$s sent %2$d emails',
					n,
					'almaseo-outreach'
				),
				who,
				n
			);
		case 'enrollment.create':
			return sprintf(
				/* translators: 1: person, 2: number of cards */
				_n(
					'%1$s started a sequence for %2$d card',
					'%1$s started a sequence for %2$d cards',
					n,
					'almaseo-outreach'
				),
				who,
				n
			);
		case 'enrollment.stop':
			return sprintf(
				/* translators: 1: person, 2: number of sequences, 3: why */
				_n(
					'%1$s stopped %2$d sequence: %3$s',
					'%1$s stopped %2$d sequences: %3$s',
					n,
					'almaseo-outreach'
				),
				who,
				n,
				reasonLabel(entry.detail.reason)
			);
		default:
			return null;
	}
}
