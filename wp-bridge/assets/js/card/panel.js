/**
 * A card's side panel: its column, status and sequence on top, then tabs for its fields,
 * emails, sequence, link and (settings) activity.
 */
import { __ } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { can } from '../common/config.js';
import { findCard, subscribe } from '../common/state.js';
import { columnLabel } from '../common/labels.js';
import { button } from '../common/controls.js';
import { cardModal } from '../common/modal.js';
import { tabs } from '../common/tabs.js';
import { cardActivity } from '../activity/activity-log.js';
import { linkPanel } from '../links/link-panel.js';
import { sendDialog } from '../send/send-dialog.js';
import {
	startSequenceDialog,
	stopSequenceDialog,
} from '../sequences/enrolment.js';
import { detailsForm } from './details-form.js';
import { emailList } from './history.js';
import { dncBadge, sequenceLine, statusBadge } from './summary.js';

function emailsPanel(card, target) {
	return h('div', {}, [
		h(
			'p',
			{},
			can('send')
				? [
						button(
							__('Send Email', 'almaseo-outreach'),
							() => sendDialog(card),
							'ao-action-send'
						),
					]
				: []
		),
		emailList(card, target),
	]);
}

function sequencePanel(card) {
	const seq = card.sequence;
	const active = seq && seq.status === 'active';
	const parts = [
		seq
			? h('p', {}, [sequenceLine(seq)])
			: h('p', { text: __('No sequence yet.', 'almaseo-outreach') }),
	];
	if (can('send')) {
		parts.push(
			active
				? button(
						__('Stop Sequence', 'almaseo-outreach'),
						() => stopSequenceDialog(card),
						'ao-action-stop-sequence'
					)
				: button(
						__('Start Sequence', 'almaseo-outreach'),
						() => startSequenceDialog(card),
						'ao-action-start-sequence'
					)
		);
	}
	return h('div', {}, parts);
}

function summary(card) {
	return h('div', { className: 'ao-detail-summary' }, [
		h('span', {
			className: 'ao-detail-column',
			text: columnLabel(card.status),
		}),
		dncBadge(card),
		card.email_status ? statusBadge(card.email_status) : null,
		card.sequence ? sequenceLine(card.sequence) : null,
	]);
}

/**
 * The panel's header (column, badges, sequence), redrawn while the panel is open
 * whenever the board changes: a link check or a cancelled email may move the card.
 *
 * @param {Object} card Card.
 * @return {Object} { node, stop }: the header and what stops following the board.
 */
function liveSummary(card) {
	const live = { node: summary(card) };
	live.stop = subscribe((changed) => {
		const fresh = changed === 'board' && findCard(card.id);
		if (fresh) {
			const next = summary(fresh);
			live.node.replaceWith(next);
			live.node = next;
		}
	});
	return live;
}

/**
 * Open the panel of a card.
 *
 * @param {Object} card Card (its latest version is looked up by id).
 */
export function openDetail(card) {
	const current = findCard(card.id) || card;
	const head = liveSummary(current);
	const target = cardModal(
		current,
		/* translators: %s: domain */ __('Card — %s', 'almaseo-outreach'),
		'card',
		{ kind: 'drawer', onClose: head.stop }
	);
	const panels = [
		[
			'details',
			__('Details', 'almaseo-outreach'),
			() => detailsForm(current, target),
		],
		[
			'emails',
			__('Emails', 'almaseo-outreach'),
			() => emailsPanel(current, target),
		],
		[
			'sequence',
			__('Sequence', 'almaseo-outreach'),
			() => sequencePanel(current),
		],
		[
			'link',
			__('Link', 'almaseo-outreach'),
			() => linkPanel(current, target),
		],
	];
	if (can('settings')) {
		panels.push([
			'activity',
			__('Activity', 'almaseo-outreach'),
			() => cardActivity(current),
		]);
	}
	target.body.append(head.node, tabs(panels));
}
