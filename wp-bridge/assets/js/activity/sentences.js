/**
 * Activity entries (docs/api.md §21) as sentences: the service sends structure (kind,
 * action, count, the card's domain, detail), the bridge adds the person's name
 * (src/UserNames.php) and this module words it, translatably.
 */
import { __, _n, sprintf } from '../common/i18n.js';
import { columnLabel } from '../common/labels.js';
import { labelFor } from '../common/api.js';
import { CARD_FIELDS } from '../card/card-fields.js';
import { OTHER, reasonLabel } from './activity-labels.js';
import { cards, many } from './grouped.js';

// An edited field as the panel labels it ("Anchor text"), never the API's name.
const fieldLabel = (name) =>
	CARD_FIELDS[name] ? CARD_FIELDS[name].label : labelFor(name);

function card(entry, who, domain) {
	switch (entry.action) {
		case 'opportunity.create':
			return sprintf(
				/* translators: 1: person, 2: the card's domain */
				__('%1$s added %2$s', 'almaseo-outreach'),
				who,
				domain
			);
		case 'opportunity.import':
			return sprintf(
				/* translators: 1: person, 2: the card's domain */
				__('%1$s imported %2$s', 'almaseo-outreach'),
				who,
				domain
			);
		case 'opportunity.delete':
			return sprintf(
				/* translators: 1: person, 2: the card's domain */
				__('%1$s deleted %2$s', 'almaseo-outreach'),
				who,
				domain
			);
		case 'opportunity.notes':
			return sprintf(
				/* translators: 1: person, 2: the card's domain */
				__('%1$s changed the notes of %2$s', 'almaseo-outreach'),
				who,
				domain
			);
		default:
			return sprintf(
				/* translators: 1: person, 2: the card's domain, 3: the fields changed */
				__('%1$s edited %2$s (%3$s)', 'almaseo-outreach'),
				who,
				domain,
				(entry.detail.fields || []).map(fieldLabel).join(', ')
			);
	}
}

function move(entry, who, domain) {
	const to = columnLabel(entry.detail.to);
	if (entry.count > 1) {
		return sprintf(
			/* translators: 1: person, 2: number of cards, 3: column */
			_n(
				'%1$s moved %2$d card to %3$s',
				'%1$s moved %2$d cards to %3$s',
				entry.count,
				'almaseo-outreach'
			),
			who,
			entry.count,
			to
		);
	}
	if (entry.detail.from === entry.detail.to) {
		return sprintf(
			/* translators: 1: person, 2: the card's domain, 3: column */
			__('%1$s reordered %2$s in %3$s', 'almaseo-outreach'),
			who,
			domain,
			to
		);
	}
	return sprintf(
		/* translators: 1: person, 2: the card's domain, 3: column */
		__('%1$s moved %2$s to %3$s', 'almaseo-outreach'),
		who,
		domain,
		to
	);
}

function email(entry, who, domain) {
	if (entry.action === 'email.cancel') {
		return sprintf(
			/* translators: 1: person, 2: the card's domain */
			__('%1$s cancelled a scheduled email to %2$s', 'almaseo-outreach'),
			who,
			domain
		);
	}
	return sprintf(
		/* translators: 1: person, 2: the card's domain */
		__('%1$s sent an email to %2$s', 'almaseo-outreach'),
		who,
		domain
	);
}

function reply(entry, who, domain) {
	if (entry.action === 'email.replied') {
		return sprintf(
			/* translators: 1: person, 2: the card's domain */
			__('%1$s marked %2$s as replied', 'almaseo-outreach'),
			who,
			domain
		);
	}
	if (entry.action === 'reply.label') {
		return sprintf(
			/* translators: 1: person, 2: the card's domain */
			__('%1$s labelled the reply from %2$s', 'almaseo-outreach'),
			who,
			domain
		);
	}
	if (entry.detail.reply_kind === 'bounce') {
		return sprintf(
			/* translators: %s: the card's domain */
			__('A bounce message came back from %s', 'almaseo-outreach'),
			domain
		);
	}
	return sprintf(
		/* translators: 1: the card's domain, 2: the sender's address */
		__('%1$s replied (%2$s)', 'almaseo-outreach'),
		domain,
		entry.detail.from || ''
	);
}

function sequence(entry, who, domain) {
	if (entry.action === 'enrollment.create') {
		return sprintf(
			/* translators: 1: person, 2: the card's domain */
			__('%1$s started a sequence for %2$s', 'almaseo-outreach'),
			who,
			domain
		);
	}
	const reason = reasonLabel(entry.detail.reason);
	if (entry.action === 'enrollment.stop') {
		return sprintf(
			/* translators: 1: person, 2: the card's domain, 3: why */
			__('%1$s stopped the sequence for %2$s: %3$s', 'almaseo-outreach'),
			who,
			domain,
			reason
		);
	}
	if (entry.count > 1) {
		return sprintf(
			/* translators: 1: number of sequences, 2: why */
			_n(
				'%1$d sequence stopped: %2$s',
				'%1$d sequences stopped: %2$s',
				entry.count,
				'almaseo-outreach'
			),
			entry.count,
			reason
		);
	}
	return sprintf(
		/* translators: 1: the card's domain, 2: why */
		__('The sequence for %1$s stopped: %2$s', 'almaseo-outreach'),
		domain,
		reason
	);
}

function other(entry, who) {
	return sprintf(
		/* translators: 1: person, 2: what they did */
		__('%1$s %2$s', 'almaseo-outreach'),
		who,
		OTHER[entry.action] || entry.action
	);
}

function unsubscribe(entry, who, domain) {
	if (entry.action === 'email.unsubscribed') {
		/* translators: %s: the card's domain */
		return sprintf(__('%s unsubscribed', 'almaseo-outreach'), domain);
	}
	return sprintf(
		/* translators: %s: the card's domain */
		__('%s asked to be removed from the list', 'almaseo-outreach'),
		domain
	);
}

const WORDERS = {
	move,
	email,
	reply,
	sequence,
	card: (entry, who, domain) =>
		entry.count > 1 ? cards(entry, who) : card(entry, who, domain),
	auto_reply: (entry, who, domain) =>
		sprintf(
			/* translators: %s: the card's domain */
			__('%s answered with an auto-reply', 'almaseo-outreach'),
			domain
		),
	unsubscribe,
};

/**
 * One entry as a sentence.
 *
 * @param {Object} entry An activity entry with `user_name`.
 * @return {string} The sentence.
 */
export function sentence(entry) {
	const who = entry.user_name || __('Someone', 'almaseo-outreach');
	const domain = entry.card
		? entry.card.domain
		: __('a card', 'almaseo-outreach');
	const grouped = entry.count > 1 ? many(entry, who) : null;
	return grouped || (WORDERS[entry.kind] || other)(entry, who, domain);
}
