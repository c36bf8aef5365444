/**
 * Replies in the History (text only, never markup): their kind, the contacts they
 * suggest ("Use this contact"); scheduled emails' time and Cancel.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { can } from '../common/config.js';
import { get, post, del } from '../common/api.js';
import { when } from '../common/format.js';
import { notice } from '../common/notices.js';
import { button } from '../common/controls.js';
import { showError } from '../common/modal.js';
import { ask } from '../common/confirm.js';
import { refresh } from '../common/sync.js';
import { REPLY_KINDS } from '../common/labels.js';

/**
 * A badge naming what kind of reply it is; none for a plain human reply.
 *
 * @param {Object} reply Reply.
 * @return {window.HTMLElement|null} Badge.
 */
export function kindBadge(reply) {
	if (!reply.kind || reply.kind === 'human') {
		return null;
	}
	return h('span', {
		className: 'ao-badge ao-reply-kind ao-reply-kind-' + reply.kind,
		text: REPLY_KINDS[reply.kind] || reply.kind,
	});
}

/**
 * The addresses the reply names as the right person, each with "Use this contact" for
 * who may edit cards: the card's contact becomes that address.
 *
 * @param {Object}   reply  Reply (its `suggested_contacts`).
 * @param {Object}   target Dialog or section handles (errors).
 * @param {Function} done   Called with the changed card.
 * @return {window.HTMLElement|null} The list, or null when it suggests none.
 */
export function contactButtons(reply, target, done) {
	const contacts = reply.suggested_contacts || [];
	if (!contacts.length) {
		return null;
	}
	const use = (address) =>
		post('/replies/' + reply.id + '/use-contact', { email: address })
			.then((card) => {
				notice(
					sprintf(
						/* translators: %s: email address */
						__('The card now writes to %s.', 'almaseo-outreach'),
						address
					),
					'success'
				);
				return done(card);
			})
			.catch((error) => showError(target, error));
	return h(
		'ul',
		{ className: 'ao-reply-contacts' },
		contacts.map((address) =>
			h('li', { dataset: { address } }, [
				sprintf(
					/* translators: %s: email address */
					__('Suggested contact: %s', 'almaseo-outreach'),
					address
				),
				' ',
				can('edit')
					? button(
							__('Use this contact', 'almaseo-outreach'),
							() => use(address),
							'button-small ao-use-contact'
						)
					: null,
			])
		)
	);
}

/**
 * One reply: who, when, its new part; opening it marks it read and shows it in full.
 *
 * @param {Object} reply  Reply from the email's `replies`.
 * @param {Object} target Dialog handles (errors).
 * @return {window.HTMLElement} The reply.
 */
export function renderReply(reply, target) {
	const mark = reply.read
		? null
		: h('span', {
				className: 'ao-badge ao-reply-unread',
				text: __('Unread', 'almaseo-outreach'),
			});
	const full = h('pre', { className: 'ao-reply-full', hidden: true });
	const node = h(
		'details',
		{
			className: 'ao-reply',
			dataset: { id: String(reply.id), read: String(!!reply.read) },
		},
		[
			h('summary', {}, [
				sprintf(
					/* translators: 1: sender, 2: date and time */
					__('Reply from %1$s, %2$s', 'almaseo-outreach'),
					reply.from,
					when(reply.received_at)
				),
				' ',
				kindBadge(reply),
				' ',
				mark,
			]),
			h('p', {
				className: 'ao-reply-text',
				text: reply.text || __('(no text)', 'almaseo-outreach'),
			}),
			contactButtons(reply, target, () => refresh()),
			full,
		]
	);
	let opened = false;
	node.addEventListener('toggle', () => {
		if (!node.open || opened) {
			return;
		}
		opened = true;
		const reading = reply.read
			? get('/replies/' + reply.id)
			: post('/replies/' + reply.id + '/read');
		reading
			.then((result) => {
				if (mark) {
					mark.remove();
					node.dataset.read = 'true';
					refresh();
				}
				if (result.full_text && result.full_text !== reply.text) {
					full.textContent = result.full_text;
					full.hidden = false;
				}
			})
			.catch((error) => showError(target, error));
	});
	return node;
}

/**
 * "Scheduled for <time>" and, for who may send, a Cancel button that asks first and
 * leaves the dialog open (the emails are drawn again).
 *
 * @param {Object}   email  Email.
 * @param {Object}   target Dialog handles.
 * @param {Function} reload Draws the emails again.
 * @return {window.HTMLElement|null} The line, or null when not scheduled.
 */
export function scheduledLine(email, target, reload) {
	if (email.send_state !== 'scheduled') {
		return null;
	}
	const at = when(email.scheduled_for);
	const line = h('p', { className: 'ao-email-scheduled' }, [
		/* translators: %s: date and time */
		sprintf(__('Scheduled for %s', 'almaseo-outreach'), at),
		' ',
	]);
	const cancel = () =>
		del('/emails/' + email.id)
			.then(() => {
				notice(
					__('Scheduled email cancelled.', 'almaseo-outreach'),
					'success'
				);
				return Promise.all([reload(), refresh()]);
			})
			.catch((error) => showError(target, error));
	if (can('send')) {
		line.appendChild(
			button(
				__('Cancel', 'almaseo-outreach'),
				() =>
					ask(target, {
						text: sprintf(
							/* translators: %s: date and time */
							__(
								'Cancel the email scheduled for %s? It will not be sent.',
								'almaseo-outreach'
							),
							at
						),
						yes: __('Cancel the email', 'almaseo-outreach'),
						no: __('Keep it', 'almaseo-outreach'),
						near: line,
						then: cancel,
					}),
				'button-small ao-cancel-scheduled'
			)
		);
	}
	return line;
}
