/**
 * The site's sending limits and sender.
 */
import { __ } from './i18n.js';
import { get, patch } from './api.js';
import { modal as openModal, field, showError } from './modal.js';
import { h } from './dom.js';
import { MAX, input, select, saveButton, footer, orNull } from './forms.js';
import { sendingFields } from './sendingsettings.js';
import { checkPause } from './pause.js';

/**
 * IANA time zone names the browser knows (UTC first).
 *
 * @return {string[]} Names.
 */
function zones() {
	const all =
		typeof Intl.supportedValuesOf === 'function'
			? Intl.supportedValuesOf('timeZone')
			: [];
	return ['UTC'].concat(all.filter((z) => z !== 'UTC'));
}

/**
 * The link-check settings as numbers (fractions of hours allowed).
 *
 * @param {Object} fields Field wrappers by name.
 * @return {Object} Settings.
 */
function linkSettings(fields) {
	return {
		link_check_reached_hours: parseFloat(
			fields.link_check_reached_hours.control.value
		),
		link_check_won_hours: parseFloat(
			fields.link_check_won_hours.control.value
		),
		link_lost_after: parseInt(fields.link_lost_after.control.value, 10),
		link_retry_hours: parseFloat(fields.link_retry_hours.control.value),
	};
}

export function siteDialog() {
	const modal = openModal(
		__('Sending settings', 'almaseo-outreach'),
		'site',
		{ onClose: checkPause }
	);
	const fields = {
		daily_limit: field(
			__('Daily limit (emails per rolling 24 hours)', 'almaseo-outreach'),
			'daily_limit',
			input('number', '', { min: 0 })
		),
		cooldown_hours: field(
			__('Cooldown per recipient (hours)', 'almaseo-outreach'),
			'cooldown_hours',
			input('number', '', { min: 0, step: 'any' })
		),
		from_email: field(
			__('From email', 'almaseo-outreach'),
			'from_email',
			input('email', '', { maxlength: MAX.email }),
			__(
				'The address your emails come from; use one on your own domain.',
				'almaseo-outreach'
			)
		),
		from_name: field(
			__('From name', 'almaseo-outreach'),
			'from_name',
			input('text')
		),
		reply_to: field(
			__('Reply-To', 'almaseo-outreach'),
			'reply_to',
			input('email')
		),
		reply_forward_to: field(
			__('Forward replies to', 'almaseo-outreach'),
			'reply_forward_to',
			input('email', '', { maxlength: MAX.email }),
			__(
				'Every reply is forwarded here; answering it goes to the prospect.',
				'almaseo-outreach'
			)
		),
		timezone: field(
			__('Time zone', 'almaseo-outreach'),
			'timezone',
			select(
				zones().map((z) => [z, z]),
				'UTC'
			)
		),
		link_check_reached_hours: field(
			__(
				'Check Reached cards every (hours, 0 = off)',
				'almaseo-outreach'
			),
			'link_check_reached_hours',
			input('number', '', { min: 0, step: 'any' })
		),
		link_check_won_hours: field(
			__(
				'Re-check Won cards and watched backlinks every (hours, 0 = off)',
				'almaseo-outreach'
			),
			'link_check_won_hours',
			input('number', '', { min: 0, step: 'any' })
		),
		link_lost_after: field(
			__('Lost after failed checks in a row', 'almaseo-outreach'),
			'link_lost_after',
			input('number', '', { min: 0 })
		),
		link_retry_hours: field(
			__('Retry a failed check after (hours)', 'almaseo-outreach'),
			'link_retry_hours',
			input('number', '', { min: 0, step: 'any' })
		),
	};
	const sending = sendingFields();
	Object.values(fields).forEach((node) => modal.body.appendChild(node));
	sending.nodes.forEach((node) => modal.body.appendChild(node));
	const warnSender = () => {
		const slot = fields.from_email.querySelector('.ao-field-error');
		const empty = fields.from_email.control.value.trim() === '';
		slot.hidden = !empty;
		slot.textContent = empty
			? __(
					'No From email yet: mail would go out from outreach@ and the site’s host name, which inboxes distrust. Set one before sending.',
					'almaseo-outreach'
				)
			: '';
	};
	fields.from_email.control.addEventListener('input', warnSender);
	get('/site')
		.then((site) => {
			Object.keys(fields).forEach((k) => {
				const value =
					site[k] === null || site[k] === undefined
						? ''
						: String(site[k]);
				const control = fields[k].control;
				if (
					control.tagName === 'SELECT' &&
					value &&
					!control.querySelector('option[value="' + value + '"]')
				) {
					control.appendChild(h('option', { value, text: value }));
				}
				control.value = value;
			});
			sending.fill(site);
			warnSender();
			// The service's own list of settings to fix before sending, in its words.
			(site.warnings || []).forEach((w) => {
				const slot =
					fields[w.field] &&
					fields[w.field].querySelector('.ao-field-error');
				if (slot) {
					slot.textContent = w.message;
					slot.hidden = false;
				}
			});
		})
		.catch((error) => showError(modal, error));
	footer(modal, [
		saveButton(
			modal,
			__('Save', 'almaseo-outreach'),
			() =>
				patch('/site', {
					daily_limit: parseInt(fields.daily_limit.control.value, 10),
					cooldown_hours: parseFloat(
						fields.cooldown_hours.control.value
					),
					from_email: orNull(fields.from_email.control.value),
					from_name: orNull(fields.from_name.control.value),
					reply_to: orNull(fields.reply_to.control.value),
					reply_forward_to: orNull(
						fields.reply_forward_to.control.value
					),
					timezone: fields.timezone.control.value.trim() || 'UTC',
					...linkSettings(fields),
					...sending.values(),
				}),
			__('Settings saved.', 'almaseo-outreach')
		),
	]);
}
