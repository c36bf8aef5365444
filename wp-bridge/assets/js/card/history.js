/**
 * The email history of a card: every email with its timeline, and "Mark replied".
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { can } from '../common/config.js';
import { get, post } from '../common/api.js';
import { when } from '../common/format.js';
import { notice } from '../common/notices.js';
import { refresh } from '../common/sync.js';
import { button } from '../common/controls.js';
import { cardModal, footer, showError } from '../common/modal.js';
import { renderReply, scheduledLine } from './replies.js';
import { statusBadge } from './summary.js';

export function historyDialog(card) {
	const modal = cardModal(
		card,
		/* translators: %s: domain */ __(
			'Email History — %s',
			'almaseo-outreach'
		),
		'history'
	);
	modal.body.appendChild(emailList(card, modal));
	footer(modal, []);
}

/**
 * A card's emails, newest first, loaded into a list (errors shown in `target`).
 *
 * @param {Object} card   Card.
 * @param {Object} target Dialog handles.
 * @return {window.HTMLElement} The list (filled when the emails arrive).
 */
export function emailList(card, target) {
	const list = h('div', { className: 'ao-history' }, [
		h('p', { text: __('Loading…', 'almaseo-outreach') }),
	]);
	const load = () =>
		get('/opportunities/' + card.id + '/emails')
			.then((emails) => {
				clear(list);
				const items = Array.isArray(emails)
					? emails
					: emails.items || [];
				if (!items.length) {
					list.appendChild(
						h('p', {
							text: __('No email sent yet.', 'almaseo-outreach'),
						})
					);
				}
				const sender = writesFrom(items);
				if (sender) {
					list.appendChild(sender);
				}
				items.forEach((email) =>
					list.appendChild(renderEmail(email, target, load))
				);
			})
			.catch((error) => showError(target, error));
	load();
	return list;
}

/**
 * Which mailbox writes to the prospect: the one of the card's oldest email that went
 * through a mailbox (the service keeps it for every later email, docs/api.md §15).
 *
 * @param {Array} emails The card's emails, newest first.
 * @return {window.HTMLElement|null} The line, or null (SendGrid, or none yet).
 */
function writesFrom(emails) {
	const first = emails.filter((e) => e.mailbox_email).pop();
	return first
		? h('p', {
				className: 'ao-card-mailbox',
				text: sprintf(
					/* translators: %s: the mailbox's address */
					__('Writes from the mailbox %s', 'almaseo-outreach'),
					first.mailbox_email
				),
			})
		: null;
}

const EVENT_LABELS = {
	sent: __('Sent', 'almaseo-outreach'),
	processed: __('Accepted by SendGrid', 'almaseo-outreach'),
	delivered: __('Delivered', 'almaseo-outreach'),
	deferred: __('Deferred', 'almaseo-outreach'),
	open: __('Opened', 'almaseo-outreach'),
	click: __('Clicked', 'almaseo-outreach'),
	replied: __('Replied', 'almaseo-outreach'),
	bounce: __('Bounced', 'almaseo-outreach'),
	dropped: __('Dropped', 'almaseo-outreach'),
	spamreport: __('Marked as spam', 'almaseo-outreach'),
	unsubscribe: __('Unsubscribed', 'almaseo-outreach'),
	scheduled: __('Scheduled', 'almaseo-outreach'),
	postponed: __('Postponed', 'almaseo-outreach'),
	cancelled: __('Cancelled', 'almaseo-outreach'),
	threaded: __('Threaded by subject', 'almaseo-outreach'),
	failed: __('Failed', 'almaseo-outreach'),
	unknown: __('Outcome unknown', 'almaseo-outreach'),
	unsubscribed: __('Unsubscribed (link in the email)', 'almaseo-outreach'),
};

function eventDetail(e) {
	const detail = e.detail;
	if (!detail || typeof detail !== 'object') {
		return typeof detail === 'string' ? detail : '';
	}
	if (detail.machine_open) {
		return __(
			'automatic open by a mail privacy feature; not counted',
			'almaseo-outreach'
		);
	}
	return String(
		detail.reason || detail.url || detail.why || detail.note || ''
	);
}

/**
 * An email's timeline: the send first and once, then what happened to it.
 *
 * @param {Object} email Email.
 * @return {window.HTMLElement} List.
 */
function timeline(email) {
	// Why: the send itself comes first and once, even when the service lists a "sent" event.
	const events = [{ type: 'sent', at: email.sent_at }]
		.concat((email.events || []).filter((e) => e.type !== 'sent'))
		.filter((e) => e.at);
	return h(
		'ol',
		{ className: 'ao-timeline' },
		events.map((e) =>
			h(
				'li',
				{
					className: 'ao-event ao-event-' + e.type,
					dataset: { type: e.type },
				},
				[
					h('span', {
						className: 'ao-event-type',
						text: EVENT_LABELS[e.type] || e.type,
					}),
					' ',
					h('time', { dateTime: e.at, text: when(e.at) }),
					eventDetail(e)
						? h('span', {
								className: 'ao-event-detail',
								text: ' — ' + eventDetail(e),
							})
						: null,
				]
			)
		)
	);
}

/**
 * "Mark replied" for an email sent and not yet answered or bounced (edit), else none.
 *
 * @param {Object} email Email.
 * @param {Object} modal Dialog handles (closed after, errors shown there).
 * @return {window.HTMLElement|null} Button.
 */
function markReplied(email, modal) {
	const open =
		email.send_state !== 'scheduled' &&
		email.send_state !== 'cancelled' &&
		email.status !== 'replied' &&
		email.status !== 'bounced';
	if (!can('edit') || !open) {
		return null;
	}
	const mark = () =>
		post('/emails/' + email.id + '/replied')
			.then(() => {
				notice(__('Marked as replied.', 'almaseo-outreach'), 'success');
				refresh();
				modal.close();
			})
			.catch((error) => showError(modal, error));
	return button(
		__('Mark replied', 'almaseo-outreach'),
		mark,
		'button-small ao-mark-replied'
	);
}

/**
 * One email of the history: subject and status, recipient, schedule, timeline, replies.
 *
 * @param {Object}   email  Email.
 * @param {Object}   modal  Dialog handles.
 * @param {Function} reload Draws the emails again (after a cancelled schedule).
 * @return {window.HTMLElement} Section.
 */
export function renderEmail(email, modal, reload) {
	return h(
		'section',
		{
			className: 'ao-email',
			dataset: { id: String(email.id), status: email.status || '' },
		},
		[
			h('h3', {}, [email.subject, ' ', statusBadge(email.status)]),
			h('p', {
				className: 'ao-email-to',
				text: sprintf(
					/* translators: %s: recipient address */
					__('To: %s', 'almaseo-outreach'),
					email.to
				),
			}),
			scheduledLine(email, modal, reload),
			timeline(email),
			h(
				'div',
				{ className: 'ao-replies' },
				(email.replies || []).map((r) => renderReply(r, modal))
			),
			h('div', {}, [markReplied(email, modal)]),
		]
	);
}
