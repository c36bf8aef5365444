/**
 * Moving cards: shown at once, saved, then confirmed by the next refresh; a move the
 * service did not take is undone at once (in an outage no refresh could undo it).
 */
import { __, sprintf } from '../common/i18n.js';
import { post } from '../common/api.js';
import { notice } from '../common/notices.js';
import { columnLabel } from '../common/labels.js';
import { findCard, moveLocal, sortedBy, state } from '../common/state.js';
import { refresh } from '../common/sync.js';
import { focusCard } from '../common/focus.js';

const SORTED_REORDER = __(
	'The board is sorted, so each column keeps the sort’s order. Choose “Board order” under Sort to arrange cards by hand.',
	'almaseo-outreach'
);

/**
 * Move a card to a column at a position (index among the column's other cards). In a
 * sorted view the card takes its place in the sort; a move within its column is refused.
 *
 * @param {number}  id       Opportunity id.
 * @param {string}  status   Column.
 * @param {number}  position Index in the column (end when undefined).
 * @param {boolean} refocus  Focus the card again afterwards.
 * @return {Promise} Done.
 */
export function moveCard(id, status, position, refocus) {
	const card = findCard(id);
	if (sortedBy()) {
		if (card && card.status === status) {
			// A sorted column keeps the sort's order: a reorder would jump back at once.
			notice(SORTED_REORDER, 'info');
			return Promise.resolve();
		}
		position = undefined; // an index in the sorted column means nothing in board order
	}
	const data = { status };
	if (position !== undefined && position !== null) {
		data.position = position;
	}
	const back = card && {
		status: card.status,
		position: state.columns[card.status].indexOf(card),
	};
	moveLocal(id, status, position);
	if (refocus) {
		focusCard(id);
	}
	return post('/opportunities/' + id + '/move', data)
		.then(() =>
			notice(
				sprintf(
					/* translators: %s: column name */
					__('Moved to %s.', 'almaseo-outreach'),
					columnLabel(status)
				),
				'success'
			)
		)
		.catch((error) => {
			notice(error.message, 'error');
			if (back) {
				moveLocal(id, back.status, back.position);
			}
			return refresh(true);
		})
		.then(() => refresh(false))
		.then(() => {
			if (refocus) {
				focusCard(id);
			}
		});
}
