/**
 * Send Email (template or custom, with preview) and Start Sequence for one card.
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { get, post } from './api.js';
import { siteTimeToIso } from './format.js';
import { PLACEHOLDER_HINT } from './labels.js';
import { field, button, showError, clearError } from './modal.js';
import {
	MAX,
	input,
	textarea,
	select,
	footer,
	loadTemplates,
	saveButton,
	cardModal,
} from './forms.js';

export function sendDialog(card) {
	const modal = cardModal(
		card,
		/* translators: %s: domain */ __(
			'Send Email to %s',
			'almaseo-outreach'
		),
		'send'
	);
	const to = field(
		__('Recipient', 'almaseo-outreach'),
		'to',
		input('email', card.contact_email || '', { maxlength: MAX.email })
	);
	const template = field(
		__('Template', 'almaseo-outreach'),
		'template_id',
		select([['', __('Custom email (no template)', 'almaseo-outreach')]])
	);
	const subject = field(
		__('Subject', 'almaseo-outreach'),
		'subject',
		input('text', '', { maxlength: MAX.subject })
	);
	const body = field(
		__('Body', 'almaseo-outreach'),
		'body',
		textarea('', 8, { maxlength: MAX.body }),
		PLACEHOLDER_HINT
	);
	const when = whenFields();
	const preview = h('div', { className: 'ao-preview', hidden: true });
	[to, template, subject, body, when.mode, when.at, preview].forEach((node) =>
		modal.body.appendChild(node)
	);
	let templates = [];
	let touched = false;
	// Why: a template fills the fields, which stay editable for this one email.
	const fill = () => {
		const chosen = templates.find(
			(t) => String(t.id) === template.control.value
		);
		subject.control.value = chosen ? chosen.subject : '';
		body.control.value = chosen ? chosen.body : '';
	};
	template.control.addEventListener('change', () => {
		touched = true;
		fill();
	});
	loadTemplates(true)
		.then((list) => {
			templates = list;
			list.forEach((t) =>
				template.control.appendChild(
					h('option', { value: String(t.id), text: t.name })
				)
			);
			// Why: a choice made while the list was loading is kept.
			if (list.length && !touched) {
				template.control.value = String(list[0].id);
				fill();
			}
		})
		.catch((error) => showError(modal, error));
	const content = () => {
		const chosen = template.control.value;
		return Object.assign(
			{ subject: subject.control.value, body: body.control.value },
			chosen ? { template_id: parseInt(chosen, 10) } : {}
		);
	};
	const sendNow = saveButton(
		modal,
		__('Send now', 'almaseo-outreach'),
		() =>
			post(
				'/opportunities/' + card.id + '/emails',
				Object.assign({ to: to.control.value.trim() }, content())
			),
		__('Email sent.', 'almaseo-outreach'),
		'button-primary ao-send'
	);
	const schedule = saveButton(
		modal,
		__('Schedule', 'almaseo-outreach'),
		() =>
			post(
				'/opportunities/' + card.id + '/emails',
				Object.assign(
					{
						to: to.control.value.trim(),
						send_at: siteTimeToIso(when.at.control.value),
					},
					content()
				)
			),
		__('Email scheduled.', 'almaseo-outreach'),
		'button-primary ao-schedule'
	);
	const atWindow = saveButton(
		modal,
		__('Send in the window', 'almaseo-outreach'),
		() =>
			post(
				'/opportunities/' + card.id + '/emails',
				Object.assign(
					{ to: to.control.value.trim(), at_next_window: true },
					content()
				)
			),
		__(
			'Email scheduled for the next window opening (sent now if the window is open).',
			'almaseo-outreach'
		),
		'button-primary ao-send-window'
	);
	const toggleWhen = () => {
		const mode = when.mode.control.value;
		when.at.hidden = mode !== 'later';
		sendNow.hidden = mode !== 'now';
		schedule.hidden = mode !== 'later';
		atWindow.hidden = mode !== 'window';
	};
	when.mode.control.addEventListener('change', toggleWhen);
	toggleWhen();
	footer(modal, [
		button(
			__('Preview', 'almaseo-outreach'),
			() => {
				clearError(modal);
				return post(
					'/templates/preview',
					Object.assign({ opportunity_id: card.id }, content())
				)
					.then((result) => showPreview(preview, result))
					.catch((error) => showError(modal, error));
			},
			'ao-preview-button'
		),
		sendNow,
		schedule,
		atWindow,
	]);
}

/**
 * "Send now" / "Schedule…" and the date-time picker (the site's time zone).
 *
 * @return {Object} Field wrappers { mode, at }.
 */
function whenFields() {
	return {
		mode: field(
			__('When', 'almaseo-outreach'),
			'when',
			select(
				[
					['now', __('Send now', 'almaseo-outreach')],
					['later', __('Schedule…', 'almaseo-outreach')],
					[
						'window',
						__(
							'At the next sending-window opening',
							'almaseo-outreach'
						),
					],
				],
				'now'
			)
		),
		at: field(
			__('Send at (site time)', 'almaseo-outreach'),
			'send_at',
			input('datetime-local', '', {})
		),
	};
}

function showPreview(node, result) {
	clear(node);
	node.hidden = false;
	node.appendChild(h('h3', { text: __('Preview', 'almaseo-outreach') }));
	node.appendChild(
		h('p', { className: 'ao-preview-subject' }, [
			h('strong', { text: __('Subject:', 'almaseo-outreach') }),
			' ',
			result.subject,
		])
	);
	if (result.missing && result.missing.length) {
		node.appendChild(
			h('p', {
				className: 'ao-preview-missing notice notice-warning',
				text: sprintf(
					/* translators: %s: list of placeholders */
					__(
						'No value for: %s. Sending would be refused.',
						'almaseo-outreach'
					),
					result.missing.join(', ')
				),
			})
		);
	}
	// Why: the HTML part is shown in a sandboxed frame (no scripts, no same origin).
	const frame = h('iframe', {
		className: 'ao-preview-html',
		sandbox: '',
		title: __('HTML version', 'almaseo-outreach'),
	});
	frame.srcdoc = result.html || '';
	node.appendChild(frame);
	node.appendChild(
		h('pre', { className: 'ao-preview-text', text: result.text || '' })
	);
}

export function assignSequenceDialog(card) {
	const modal = cardModal(
		card,
		/* translators: %s: domain */
		__('Assign Sequence — %s', 'almaseo-outreach'),
		'assign-sequence'
	);
	const seq = field(
		__('Sequence', 'almaseo-outreach'),
		'sequence_id',
		select([])
	);
	const to = field(
		__('Recipient', 'almaseo-outreach'),
		'to',
		input('email', card.contact_email || '', { maxlength: MAX.email })
	);
	modal.body.appendChild(seq);
	modal.body.appendChild(to);
	modal.body.appendChild(
		h('p', {
			className: 'description',
			text: __(
				'Step 1 is sent at once; later steps follow their delays until a stop condition fires.',
				'almaseo-outreach'
			),
		})
	);
	get('/sequences')
		.then((list) => {
			list.forEach((s) =>
				seq.control.appendChild(
					h('option', { value: String(s.id), text: s.name })
				)
			);
			if (!list.length) {
				showError(modal, {
					message: __(
						'Create a sequence first (Sequences button above the board).',
						'almaseo-outreach'
					),
					fields: {},
				});
			}
		})
		.catch((error) => showError(modal, error));
	footer(modal, [
		saveButton(
			modal,
			__('Start Sequence', 'almaseo-outreach'),
			() =>
				post('/opportunities/' + card.id + '/sequence', {
					sequence_id: parseInt(seq.control.value, 10),
					to: to.control.value.trim(),
				}),
			__('Sequence started; step 1 sent.', 'almaseo-outreach')
		),
	]);
}
