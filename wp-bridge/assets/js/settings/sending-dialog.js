/**
 * The Sending settings dialog: the channel (SendGrid or the site's mailboxes), the site's
 * limits, sender, time zone, link checks and deliverability (with what the service says
 * is missing before sending).
 */
import { __ } from '../common/i18n.js';
import { get, patch } from '../common/api.js';
import { form } from '../common/form.js';
import { modal, footer, showError } from '../common/modal.js';
import { saveButton } from '../common/save.js';
import { deliverabilityFields } from './deliverability-fields.js';
import { checkPause } from './pause-banner.js';
import { senderDomains } from './sender-domains.js';
import { currentZone, zones } from './time-zones.js';

const number = (name, label) => ({ name, label, type: 'number' });

const CHANNELS = [
	[
		'',
		__(
			'Automatic: SendGrid when the service has it, else the mailboxes',
			'almaseo-outreach'
		),
	],
	['sendgrid', __('SendGrid', 'almaseo-outreach')],
	[
		'mailboxes',
		__(
			'The site’s own mailboxes (Outreach → Mailboxes)',
			'almaseo-outreach'
		),
	],
];

const SITE_FIELDS = [
	{
		// docs/api.md §15, "Choosing the channel".
		name: 'sending_channel',
		label: __('Send through', 'almaseo-outreach'),
		type: 'select',
		options: CHANNELS,
		value: '',
		help: __(
			'With mailboxes, a prospect always hears from the mailbox that first wrote to them; a new one gets the mailbox with the most room left today.',
			'almaseo-outreach'
		),
	},
	number(
		'daily_limit',
		__('Daily limit (emails per rolling 24 hours)', 'almaseo-outreach')
	),
	number(
		'cooldown_hours',
		__('Cooldown per recipient (hours)', 'almaseo-outreach')
	),
	{
		name: 'from_email',
		label: __('From email', 'almaseo-outreach'),
		type: 'email',
		help: __(
			'The address your emails come from: at your site’s domain (or a subdomain), or at a sender domain verified below.',
			'almaseo-outreach'
		),
	},
	{
		name: 'from_name',
		label: __('From name', 'almaseo-outreach'),
		type: 'text',
	},
	{
		name: 'reply_to',
		label: __('Reply-To', 'almaseo-outreach'),
		type: 'email',
	},
	{
		name: 'reply_forward_to',
		label: __('Forward replies to', 'almaseo-outreach'),
		type: 'email',
		help: __(
			'Every reply is forwarded here; answering it goes to the prospect.',
			'almaseo-outreach'
		),
	},
	number(
		'reply_forward_hourly_limit',
		__(
			'Forward at most (replies per rolling hour, 0 = no limit; more wait)',
			'almaseo-outreach'
		)
	),
	number(
		'auto_reply_pause_days',
		__(
			'After an auto-reply without a return date, wait (days, 0 = no pause)',
			'almaseo-outreach'
		)
	),
	{
		name: 'honour_unsubscribe_replies',
		label: __(
			'A reply asking to be removed puts the address on the do-not-contact list',
			'almaseo-outreach'
		),
		type: 'checkbox',
	},
	{
		name: 'stop_domain_on_reply',
		label: __(
			'A reply stops the sequences to other people at the same company',
			'almaseo-outreach'
		),
		type: 'checkbox',
		help: __(
			'Addresses at the same domain; mailbox providers such as gmail.com never count.',
			'almaseo-outreach'
		),
	},
	{
		name: 'timezone',
		label: __('Time zone', 'almaseo-outreach'),
		type: 'select',
		options: zones,
		value: 'UTC',
	},
	number(
		'link_check_reached_hours',
		__('Check Reached cards every (hours, 0 = off)', 'almaseo-outreach')
	),
	number(
		'link_check_won_hours',
		__(
			'Re-check Won cards and watched backlinks every (hours, 0 = off)',
			'almaseo-outreach'
		)
	),
	number(
		'link_lost_after',
		__('Lost after failed checks in a row', 'almaseo-outreach')
	),
	number(
		'link_retry_hours',
		__('Retry a failed check after (hours)', 'almaseo-outreach')
	),
];

/**
 * A reason under a field (the service's words, or the missing sender's), or none.
 *
 * @param {Object} fields  Field wrappers by name.
 * @param {string} name    Field.
 * @param {string} message Text; empty hides the slot.
 */
function fieldNote(fields, name, message) {
	const slot = fields[name] && fields[name].querySelector('.ao-field-error');
	if (slot) {
		slot.textContent = message;
		slot.hidden = !message;
	}
}

function warnSender(fields) {
	fieldNote(
		fields,
		'from_email',
		fields.from_email.control.value.trim() === ''
			? __(
					'No From email yet: mail would go out from outreach@ and the site’s host name, which inboxes distrust. Set one before sending.',
					'almaseo-outreach'
				)
			: ''
	);
}

export function sendingSettingsDialog() {
	const target = modal(__('Sending settings', 'almaseo-outreach'), 'site', {
		onClose: checkPause,
	});
	const site = form('SitePatch', SITE_FIELDS);
	const deliverability = deliverabilityFields();
	target.body.append(
		...site.nodes,
		senderDomains(target),
		...deliverability.nodes
	);
	site.fields.from_email.control.addEventListener('input', () =>
		warnSender(site.fields)
	);
	get('/site')
		.then((values) => {
			site.fill({ ...values, timezone: currentZone(values.timezone) });
			deliverability.fill(values);
			warnSender(site.fields);
			// The service's own list of settings to fix before sending, in its words.
			(values.warnings || []).forEach((w) =>
				fieldNote(site.fields, w.field, w.message)
			);
		})
		.catch((error) => showError(target, error));
	const save = () =>
		patch('/site', { ...site.values(), ...deliverability.values() });
	footer(target, [
		saveButton(
			target,
			__('Save', 'almaseo-outreach'),
			save,
			__('Settings saved.', 'almaseo-outreach')
		),
	]);
}
