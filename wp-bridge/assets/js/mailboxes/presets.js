/**
 * The servers of the usual providers (docs/mailboxes.md, "Connecting a mailbox"): choosing
 * one fills the SMTP and IMAP host, port and security of the mailbox dialog.
 */
import { __ } from '../common/i18n.js';

const server = (host, port, security) => ({ host, port, security });

export const PRESETS = [
	{
		id: 'google',
		label: __('Gmail / Google Workspace', 'almaseo-outreach'),
		smtp: server('smtp.gmail.com', 587, 'starttls'),
		imap: server('imap.gmail.com', 993, 'tls'),
	},
	{
		id: 'microsoft',
		label: __('Outlook / Microsoft 365', 'almaseo-outreach'),
		smtp: server('smtp.office365.com', 587, 'starttls'),
		imap: server('outlook.office365.com', 993, 'tls'),
	},
	{
		id: 'zoho',
		label: __('Zoho Mail', 'almaseo-outreach'),
		smtp: server('smtp.zoho.com', 587, 'starttls'),
		imap: server('imap.zoho.com', 993, 'tls'),
	},
	{
		id: 'fastmail',
		label: __('Fastmail', 'almaseo-outreach'),
		smtp: server('smtp.fastmail.com', 465, 'tls'),
		imap: server('imap.fastmail.com', 993, 'tls'),
	},
	{
		id: 'icloud',
		label: __('iCloud Mail', 'almaseo-outreach'),
		smtp: server('smtp.mail.me.com', 587, 'starttls'),
		imap: server('imap.mail.me.com', 993, 'tls'),
	},
	{
		id: 'custom',
		label: __('Custom SMTP / IMAP', 'almaseo-outreach'),
		smtp: null,
		imap: null,
	},
];

export const SECURITIES = [
	['starttls', __('STARTTLS', 'almaseo-outreach')],
	['tls', __('TLS', 'almaseo-outreach')],
];

/**
 * The preset whose SMTP host a mailbox uses (custom when none does).
 *
 * @param {Object} mailbox A mailbox as the API shows it.
 * @return {string} The preset's id.
 */
export function presetOf(mailbox) {
	const found = PRESETS.find(
		(p) => p.smtp && mailbox.smtp && p.smtp.host === mailbox.smtp.host
	);
	return found ? found.id : 'custom';
}
