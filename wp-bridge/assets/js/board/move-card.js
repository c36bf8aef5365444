/**
 * Moving cards: shown at once, saved, then confirmed by the next refresh; a move the
 * service did not take is undone at once (in an outage no refresh could undo it).
 */
import { __, sprintf } from '../common/i18n.js';
import { post } from '../common/api.js';
import { notice } from '../common/notices.js';
import { columnLabel } from '../common/labels.js';
import { findCard, moveLocal, state } from '../common/state.js';
import { refresh } from '../common/sync.js';
import { focusCard } from '../common/focus.js';

/**
 * Move a card to a column at a position (index among the column's other cards).
 *
 * @param {number}  id       Opportunity id.
 * @param {string}  status   Column.
 * @param {number}  position Index in the column (end when undefined).
 * @param {boolean} refocus  Focus the card again afterwards.
 * @return {Promise} Done.
 */
export function moveCard(id, status, position, refocus) {
	const data = { status };
	if (position !== undefined && position !== null) {
		data.position = position;
	}
	const card = findCard(id);
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
