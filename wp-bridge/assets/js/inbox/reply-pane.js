/**
 * The Inbox's reading pane: the reply's text beside its card and thread, its label, mark
 * read, "Open the card" and "Use this contact".
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { can } from '../common/config.js';
import { get, post, patch } from '../common/api.js';
import { select, field, button } from '../common/controls.js';
import { showError, clearError } from '../common/modal.js';
import { when } from '../common/format.js';
import { EMAIL_STATUS, REPLY_LABELS, columnLabel } from '../common/labels.js';
import { contactButtons, kindBadge } from '../card/replies.js';
import { setBubble } from './bubble.js';

/**
 * Mark a reply read (once): its row, the count and the menu bubble follow.
 *
 * @param {Object} ui    The Inbox's state (ui.redraw draws one reply's row again).
 * @param {Object} reply Reply.
 * @return {Promise} Settles when done.
 */
export function markRead(ui, reply) {
	if (reply.read) {
		return Promise.resolve();
	}
	return post('/replies/' + reply.id + '/read')
		.then(() => {
			reply.read = true;
			ui.unread = Math.max(0, ui.unread - 1);
			setBubble(ui.unread);
			ui.redraw(reply);
			if (ui.shown === reply.id) {
				showReply(ui, reply);
			}
		})
		.catch((error) => showError(ui.host, error));
}

function labelField(ui, reply) {
	const control = select(
		[
			['', __('No label', 'almaseo-outreach')],
			...Object.entries(REPLY_LABELS),
		],
		reply.label || ''
	);
	control.disabled = !can('edit');
	control.addEventListener('change', () =>
		patch('/replies/' + reply.id, { label: control.value || null })
			.then((saved) => {
				reply.label = saved.label;
				clearError(ui.host);
				ui.redraw(reply);
			})
			.catch((error) => showError(ui.host, error))
	);
	return field(__('Label', 'almaseo-outreach'), 'label', control);
}

function cardBlock(reply) {
	const card = reply.card || {};
	return h('div', { className: 'ao-inbox-card' }, [
		h('h3', { text: __('Card', 'almaseo-outreach') }),
		h('p', {}, [
			h('strong', { text: card.domain || '' }),
			' · ',
			columnLabel(card.status),
			card.contact_email ? ' · ' + card.contact_email : '',
		]),
		h('p', { className: 'ao-inbox-source', text: card.source_url || '' }),
		h('a', {
			className: 'button ao-open-card',
			href: 'admin.php?page=almaseo-outreach&card=' + card.id,
			text: __('Open the card', 'almaseo-outreach'),
		}),
	]);
}

function threadEntry(email, current) {
	return h('li', { className: email.id === current ? 'is-current' : '' }, [
		h('strong', { text: email.subject }),
		' · ',
		EMAIL_STATUS[email.status] || email.status || '',
		email.sent_at ? ' · ' + when(email.sent_at) : '',
		h(
			'ul',
			{},
			(email.replies || []).map((r) =>
				h('li', {}, [
					sprintf(
						/* translators: 1: sender, 2: date and time */
						__('Reply from %1$s, %2$s', 'almaseo-outreach'),
						r.from,
						when(r.received_at)
					),
					' ',
					kindBadge(r),
				])
			)
		),
	]);
}

function thread(reply) {
	const list = h('ol', { className: 'ao-inbox-thread' });
	get('/opportunities/' + reply.opportunity_id + '/emails')
		.then((emails) => {
			emails.forEach((email) =>
				list.appendChild(threadEntry(email, reply.email_id))
			);
		})
		.catch(() =>
			list.appendChild(
				h('li', {
					text: __(
						'The thread could not be loaded.',
						'almaseo-outreach'
					),
				})
			)
		);
	return h('div', {}, [
		h('h3', { text: __('Thread', 'almaseo-outreach') }),
		list,
	]);
}

/**
 * Show a reply in the pane.
 *
 * @param {Object} ui    The Inbox's state.
 * @param {Object} reply Reply with its `card` and `email`.
 */
export function showReply(ui, reply) {
	ui.shown = reply.id;
	clear(ui.pane).appendChild(
		h(
			'article',
			{ className: 'ao-inbox-reply', dataset: { id: String(reply.id) } },
			[
				h('h2', {
					text:
						reply.subject || __('(no subject)', 'almaseo-outreach'),
				}),
				h('p', {}, [
					sprintf(
						/* translators: 1: sender, 2: date and time */
						__('From %1$s, %2$s', 'almaseo-outreach'),
						reply.from,
						when(reply.received_at)
					),
					' ',
					kindBadge(reply),
				]),
				h('div', { className: 'ao-inbox-actions' }, [
					labelField(ui, reply),
					reply.read
						? null
						: button(
								__('Mark read', 'almaseo-outreach'),
								() => markRead(ui, reply),
								'ao-mark-read'
							),
				]),
				h('pre', {
					className: 'ao-reply-text',
					text: reply.text || __('(no text)', 'almaseo-outreach'),
				}),
				contactButtons(reply, ui.host, (card) => {
					reply.card = { ...reply.card, ...card };
					showReply(ui, reply);
				}),
				cardBlock(reply),
				thread(reply),
			]
		)
	);
}
