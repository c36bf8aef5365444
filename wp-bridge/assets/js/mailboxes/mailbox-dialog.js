/**
 * Add or edit a mailbox (docs/api.md §15): a preset fills the servers; the passwords are
 * write-only (never shown; left empty, the stored one stays).
 */
import { __ } from '../common/i18n.js';
import { post, patch } from '../common/api.js';
import { h } from '../common/dom.js';
import { form } from '../common/form.js';
import { notice } from '../common/notices.js';
import { button } from '../common/controls.js';
import { modal, footer, showError, clearError } from '../common/modal.js';
import { PRESETS, SECURITIES, presetOf } from './presets.js';

const SECRET = { autocomplete: 'new-password' }; // never the browser's saved WordPress login

/**
 * The write-only secrets: never filled in; when editing, empty keeps the stored one.
 *
 * @param {boolean} editing An existing mailbox.
 * @return {Array} Their field descriptions.
 */
function secretFields(editing) {
	const keep = editing
		? __('Leave empty to keep the stored one.', 'almaseo-outreach')
		: '';
	const app = __(
		'An app password where the provider asks for one.',
		'almaseo-outreach'
	);
	return [
		{
			name: 'password',
			label: __('Password (SMTP)', 'almaseo-outreach'),
			type: 'password',
			attrs: SECRET,
			help: (keep + ' ' + app).trim(),
		},
		{
			name: 'imap_password',
			label: __('IMAP password, if not the same', 'almaseo-outreach'),
			type: 'password',
			attrs: SECRET,
			help: keep,
		},
	];
}

// Off unless chosen (docs/api.md §15, tracking without SendGrid).
const TRACKING = [
	{
		name: 'track_opens',
		label: __('Track opens (an invisible image)', 'almaseo-outreach'),
		type: 'checkbox',
	},
	{
		name: 'track_clicks',
		label: __(
			'Track clicks (links go through the service)',
			'almaseo-outreach'
		),
		type: 'checkbox',
	},
];

function mainForm(editing) {
	return form('MailboxCreate', [
		{
			name: 'preset',
			label: __('Provider', 'almaseo-outreach'),
			type: 'select',
			options: PRESETS.map((p) => [p.id, p.label]),
			value: 'custom',
			schema: false,
			track: false,
		},
		{
			name: 'email',
			label: __('Email address', 'almaseo-outreach'),
			type: 'email',
		},
		{
			name: 'from_name',
			label: __('From name', 'almaseo-outreach'),
			type: 'text',
		},
		...secretFields(editing),
		{
			name: 'daily_limit',
			label: __(
				'Daily limit (emails a day, at most)',
				'almaseo-outreach'
			),
			type: 'number',
		},
		{
			name: 'save_to_sent',
			label: __(
				'File a copy of each email in the Sent folder',
				'almaseo-outreach'
			),
			type: 'checkbox',
		},
		...TRACKING,
	]);
}

/**
 * One server side (SMTP or IMAP): its fields named "smtp.host" and so on, as the
 * service's errors name them, in a fieldset of its own.
 *
 * @param {string} side   'smtp' or 'imap'.
 * @param {string} legend Its title.
 * @return {Object} The form, plus `node` (the fieldset).
 */
function serverForm(side, legend) {
	const names = ['host', 'port', 'security', 'username'];
	const labels = {
		host: __('Server', 'almaseo-outreach'),
		port: __('Port', 'almaseo-outreach'),
		security: __('Security', 'almaseo-outreach'),
		username: __('Username', 'almaseo-outreach'),
		folder: __('Folder read for replies', 'almaseo-outreach'),
	};
	const specs = (side === 'imap' ? [...names, 'folder'] : names).map(
		(name) => ({
			name,
			label: labels[name],
			type: { port: 'number', security: 'select' }[name] || 'text',
			options: SECURITIES,
			value: name === 'security' ? 'starttls' : undefined,
		})
	);
	const part = form(side === 'imap' ? 'Imap' : 'Smtp', specs);
	part.nodes.forEach((node) => {
		node.dataset.field = side + '.' + node.dataset.field;
		node.dataset.label = legend + ' ' + node.dataset.label.toLowerCase();
	});
	part.node = h(
		'fieldset',
		{ className: 'ao-mailbox-side', dataset: { group: side } },
		[h('legend', { text: legend }), ...part.nodes]
	);
	return part;
}

function rampForm() {
	const part = form('Ramp', [
		{
			name: 'start',
			label: __('Emails on the first day', 'almaseo-outreach'),
			type: 'number',
		},
		{
			name: 'step',
			label: __('More each day after', 'almaseo-outreach'),
			type: 'number',
		},
	]);
	part.nodes.forEach((node) => {
		node.dataset.field = 'ramp.' + node.dataset.field;
	});
	part.node = h(
		'fieldset',
		{ className: 'ao-mailbox-side', dataset: { group: 'ramp' } },
		[
			h('legend', { text: __('Warm-up ramp', 'almaseo-outreach') }),
			h('p', {
				className: 'description',
				text: __(
					'A new mailbox starts small and sends a few more each day, up to its daily limit: sudden volume looks like a hijacked account to the providers.',
					'almaseo-outreach'
				),
			}),
			...part.nodes,
		]
	);
	return part;
}

function applyPreset(parts, id) {
	const preset = PRESETS.find((p) => p.id === id);
	['smtp', 'imap'].forEach((side) => {
		if (preset && preset[side]) {
			parts[side].fill(preset[side]);
		}
	});
}

/**
 * Usernames follow the address while they are empty or were the old address.
 *
 * @param {Object} parts The dialog's forms.
 */
function followEmail(parts) {
	const email = parts.main.fields.email.control;
	let last = email.value;
	email.addEventListener('input', () => {
		['smtp', 'imap'].forEach((side) => {
			const user = parts[side].fields.username.control;
			if (user.value === '' || user.value === last) {
				user.value = email.value;
			}
		});
		last = email.value;
	});
}

function body(parts) {
	const main = parts.main.values();
	delete main.preset;
	const out = {
		...main,
		smtp: parts.smtp.values(),
		imap: parts.imap.values(),
		ramp: parts.ramp.values(),
	};
	// Write-only: an empty field sends nothing (an empty string would clear the secret).
	['password', 'imap_password'].forEach((name) => {
		if (out[name] === '') {
			delete out[name];
		}
	});
	return out;
}

/**
 * Open the dialog: a new mailbox, or `mailbox` to edit.
 *
 * @param {Object|null} mailbox The mailbox as the API shows it, or null.
 * @param {Function}    saved   Called with the saved mailbox.
 */
export function mailboxDialog(mailbox, saved) {
	const target = modal(
		mailbox
			? __('Edit mailbox', 'almaseo-outreach')
			: __('Add mailbox', 'almaseo-outreach'),
		'mailbox'
	);
	const parts = {
		main: mainForm(Boolean(mailbox)),
		smtp: serverForm('smtp', __('SMTP (sending)', 'almaseo-outreach')),
		imap: serverForm('imap', __('IMAP (replies)', 'almaseo-outreach')),
		ramp: rampForm(),
	};
	const start = mailbox || {
		daily_limit: 30,
		save_to_sent: true,
		ramp: { start: 10, step: 2 },
	};
	parts.main.fill({
		...start,
		preset: mailbox ? presetOf(mailbox) : 'custom',
	});
	parts.ramp.fill(start.ramp);
	parts.imap.fill({ folder: 'INBOX', ...(mailbox ? mailbox.imap : {}) });
	if (mailbox) {
		parts.smtp.fill(mailbox.smtp);
	}
	parts.main.fields.preset.control.addEventListener('change', (event) =>
		applyPreset(parts, event.target.value)
	);
	followEmail(parts);
	target.body.append(
		...parts.main.nodes,
		parts.smtp.node,
		parts.imap.node,
		parts.ramp.node
	);
	target.guard = () =>
		['main', 'smtp', 'imap', 'ramp'].some((k) => parts[k].changed());
	const save = () => {
		clearError(target);
		const sent = mailbox
			? patch('/mailboxes/' + mailbox.id, body(parts))
			: post('/mailboxes', body(parts));
		return sent.then(
			(made) => {
				target.close();
				notice(__('Mailbox saved.', 'almaseo-outreach'), 'success');
				saved(made);
			},
			(error) => showError(target, error)
		);
	};
	footer(target, [
		button(__('Save', 'almaseo-outreach'), save, 'button-primary ao-save'),
	]);
}
