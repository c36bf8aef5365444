/**
 * The board's sort keys as the service applies them (docs/api.md §20): a delta's cards
 * are placed by the same key; cards without a value come last either way, ties keep
 * board order.
 */

const time = (value) => (value ? Date.parse(value) : null);

function nextStep(card) {
	const seq = card.sequence;
	const step = seq && seq.status === 'active' ? time(seq.next_step_at) : null;
	const send = time(card.next_send_at);
	const both = [send, step].filter((t) => t !== null);
	return both.length ? Math.min(...both) : null;
}

const KEYS = {
	dr: (card) => (card.metrics ? card.metrics.dr : null),
	traffic: (card) => (card.metrics ? card.metrics.traffic : null),
	last_contact: (card) => time(card.last_emailed_at),
	next_step: nextStep,
	created: (card) => time(card.created_at),
};

const byPosition = (a, b) => a.position - b.position || a.id - b.id;

/**
 * Order one column's cards in place by a sort value (`-dr`, `created`, `position`…).
 *
 * @param {Array}  list Cards.
 * @param {string} sort Sort value ('' or position: board order).
 */
export function sortCards(list, sort) {
	const name = (sort || 'position').replace(/^-/, '');
	const key = KEYS[name];
	list.sort(byPosition);
	if (!key) {
		return;
	}
	const sign = sort.startsWith('-') ? -1 : 1;
	list.sort((a, b) => {
		const x = key(a);
		const y = key(b);
		if (x === null || x === undefined) {
			return y === null || y === undefined ? 0 : 1;
		}
		if (y === null || y === undefined) {
			return -1;
		}
		return x === y ? 0 : sign * (x < y ? -1 : 1);
	});
}
