/**
 * Send Email to one card: a template fills subject and body (editable for this one
 * email), then send now, at a chosen time (the site's time zone) or at the next
 * sending-window opening, one primary button for the chosen "When"; Preview shows it
 * filled in for the card. A recipient on the do-not-contact list is said before a send.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { post } from '../common/api.js';
import { siteTimeToIso, when as siteTime, zoneName } from '../common/format.js';
import { DNC_REASONS, PLACEHOLDER_HINT } from '../common/labels.js';
import { addOptions, button } from '../common/controls.js';
import { ask } from '../common/confirm.js';
import { form } from '../common/form.js';
import { cardModal, clearError, footer, showError } from '../common/modal.js';
import { saveButton } from '../common/save.js';
import { listedFor } from '../settings/do-not-contact.js';
import { loadTemplates } from '../templates/cache.js';
import { showPreview } from './preview.js';

const sendFields = (card) => [
	{
		name: 'to',
		label: __('Recipient', 'almaseo-outreach'),
		type: 'email',
		value: card.contact_email,
	},
	{
		name: 'template_id',
		label: __('Template', 'almaseo-outreach'),
		type: 'select',
		options: [['', __('Custom email (no template)', 'almaseo-outreach')]],
	},
	{ name: 'subject', label: __('Subject', 'almaseo-outreach'), type: 'text' },
	{
		name: 'body',
		label: __('Body', 'almaseo-outreach'),
		type: 'textarea',
		rows: 8,
		help: PLACEHOLDER_HINT,
	},
	{
		name: 'when',
		label: __('When', 'almaseo-outreach'),
		type: 'select',
		value: 'now',
		options: [
			['now', __('Send now', 'almaseo-outreach')],
			['later', __('Schedule…', 'almaseo-outreach')],
			[
				'window',
				__('At the next sending-window opening', 'almaseo-outreach'),
			],
			[
				'queue',
				__(
					'In the sending queue (now if the pacing leaves room)',
					'almaseo-outreach'
				),
			],
		],
	},
	{
		name: 'send_at',
		label: sprintf(
			/* translators: %s: the site's time zone, e.g. Europe/Berlin */
			__('Send at (%s)', 'almaseo-outreach'),
			zoneName()
		),
		type: 'datetime-local',
	},
];

/**
 * Offer the templates; choosing one fills subject and body (the first one is chosen
 * unless the person chose while the list was loading), after asking when that would
 * replace edits.
 *
 * @param {Object} fields The form's fields.
 * @param {Object} target Dialog handles (errors).
 * @return {Function} Whether subject or body differ from what the template filled in.
 */
function offerTemplates(fields, target) {
	const { template_id: choice, subject, body } = fields;
	let templates = [];
	let touched = false;
	let shown = '';
	const text = () => subject.control.value + '\n' + body.control.value;
	let filled = text();
	const fill = () => {
		const chosen = templates.find(
			(t) => String(t.id) === choice.control.value
		);
		subject.control.value = chosen ? chosen.subject : '';
		body.control.value = chosen ? chosen.body : '';
		shown = choice.control.value;
		filled = text();
	};
	choice.control.addEventListener('change', () => {
		touched = true;
		if (text() === filled) {
			fill();
			return;
		}
		const wanted = choice.control.value;
		choice.control.value = shown; // until the person says yes
		ask(target, {
			text: __(
				'Replace the subject and body you edited with the template?',
				'almaseo-outreach'
			),
			yes: __('Replace', 'almaseo-outreach'),
			no: __('Keep my text', 'almaseo-outreach'),
			near: choice,
			then: () => {
				choice.control.value = wanted;
				fill();
			},
		});
	});
	loadTemplates(true)
		.then((list) => {
			templates = list;
			addOptions(choice.control, list);
			if (list.length && !touched && text() === filled) {
				choice.control.value = String(list[0].id);
				fill();
			}
		})
		.catch((error) => showError(target, error));
	return () => text() !== filled;
}

/**
 * A warning under the recipient when it is on the do-not-contact list: from the card's
 * `do_not_contact` for its own contact, else looked up in the list (`settings`).
 *
 * @param {Object} card   Card.
 * @param {Object} fields The form's fields.
 * @return {window.HTMLElement} The warning (hidden while there is none).
 */
function dncWarning(card, fields) {
	const note = h('p', {
		className: 'ao-dnc-warning notice notice-warning',
		role: 'status',
		hidden: true,
	});
	const show = (entry) => {
		note.hidden = !entry;
		note.textContent = entry
			? sprintf(
					/* translators: 1: the address or domain on the list, 2: why */
					__(
						'%1$s is on the do-not-contact list (%2$s): this email would be refused.',
						'almaseo-outreach'
					),
					entry.value,
					DNC_REASONS[entry.reason] || entry.reason
				)
			: '';
	};
	const check = () => {
		const to = fields.to.control.value.trim().toLowerCase();
		const own = (card.contact_email || '').toLowerCase();
		if (card.do_not_contact && to === own) {
			show({ value: own, ...card.do_not_contact });
			return;
		}
		listedFor(to).then((entry) => {
			if (fields.to.control.value.trim().toLowerCase() === to) {
				show(entry);
			}
		});
	};
	fields.to.control.addEventListener('change', check);
	check();
	return note;
}

/**
 * What goes out: subject and body as they stand, and the template they came from.
 *
 * @param {Object} fields The form's fields.
 * @return {Object} Body fields.
 */
function content(fields) {
	const chosen = fields.template_id.control.value;
	return Object.assign(
		{
			subject: fields.subject.control.value,
			body: fields.body.control.value,
		},
		chosen ? { template_id: parseInt(chosen, 10) } : {}
	);
}

/**
 * What a queued send says: sent now when the pacing had room, else when its slot comes.
 *
 * @param {Object} email The answer (201: sent; 202: `scheduled_for`).
 * @return {string} Notice.
 */
function queued(email) {
	return email && email.send_state === 'scheduled'
		? sprintf(
				/* translators: %s: date and time in the site's time zone */
				__('Email queued for %s.', 'almaseo-outreach'),
				siteTime(email.scheduled_for)
			)
		: __('Email sent.', 'almaseo-outreach');
}

/**
 * The four ways to send, one button shown at a time as "When" says.
 *
 * @param {Object} target Dialog handles.
 * @param {Object} card   Card.
 * @param {Object} fields The form's fields.
 * @return {window.HTMLElement[]} Buttons.
 */
function sendButtons(target, card, fields) {
	const send = ([mode, label, when, message, className]) => {
		const node = saveButton(
			target,
			label,
			() =>
				post('/opportunities/' + card.id + '/emails', {
					to: fields.to.control.value.trim(),
					...when(),
					...content(fields),
				}),
			message,
			'button-primary ' + className
		);
		node.dataset.when = mode;
		return node;
	};
	const buttons = [
		[
			'now',
			__('Send now', 'almaseo-outreach'),
			() => ({}),
			__('Email sent.', 'almaseo-outreach'),
			'ao-send',
		],
		[
			'later',
			__('Schedule', 'almaseo-outreach'),
			() => ({ send_at: siteTimeToIso(fields.send_at.control.value) }),
			__('Email scheduled.', 'almaseo-outreach'),
			'ao-schedule',
		],
		[
			'window',
			__('Send in the window', 'almaseo-outreach'),
			() => ({ at_next_window: true }),
			__(
				'Email scheduled for the next window opening (sent now if the window is open).',
				'almaseo-outreach'
			),
			'ao-send-window',
		],
		[
			'queue',
			__('Queue', 'almaseo-outreach'),
			() => ({ when: 'queue' }),
			queued,
			'ao-send-queue',
		],
	].map(send);
	const toggle = () => {
		const mode = fields.when.control.value;
		fields.send_at.hidden = mode !== 'later';
		buttons.forEach((node) => (node.hidden = node.dataset.when !== mode));
	};
	fields.when.control.addEventListener('change', toggle);
	toggle();
	return buttons;
}

export function sendDialog(card) {
	const target = cardModal(
		card,
		/* translators: %s: domain */ __(
			'Send Email to %s',
			'almaseo-outreach'
		),
		'send'
	);
	const { fields, nodes } = form('SendEmail', sendFields(card));
	const preview = h('div', { className: 'ao-preview', hidden: true });
	target.body.append(...nodes, preview);
	fields.to.after(dncWarning(card, fields));
	const edited = offerTemplates(fields, target);
	// Escape and Cancel ask while the text or the recipient was edited here.
	target.guard = () =>
		edited() ||
		fields.to.control.value.trim() !== (card.contact_email || '');
	const showIt = () => {
		clearError(target);
		return post('/templates/preview', {
			opportunity_id: card.id,
			...content(fields),
		})
			.then((result) => showPreview(preview, result))
			.catch((error) => showError(target, error));
	};
	footer(target, [
		button(__('Preview', 'almaseo-outreach'), showIt, 'ao-preview-button'),
		...sendButtons(target, card, fields),
	]);
}
