/**
 * Column and status names shown on the board.
 */
import { __ } from './i18n.js';

export const COLUMNS = [
	{ key: 'new', label: __('New', 'almaseo-outreach') },
	{ key: 'queued', label: __('Queued', 'almaseo-outreach') },
	{ key: 'reached', label: __('Reached', 'almaseo-outreach') },
	{ key: 'won', label: __('Won', 'almaseo-outreach') },
];

export const EMAIL_STATUS = {
	sent: __('Sent', 'almaseo-outreach'),
	delivered: __('Delivered', 'almaseo-outreach'),
	opened: __('Opened', 'almaseo-outreach'),
	clicked: __('Clicked', 'almaseo-outreach'),
	replied: __('Replied', 'almaseo-outreach'),
	bounced: __('Bounced', 'almaseo-outreach'),
};

// Why an address or a domain is on the do-not-contact list.
export const DNC_REASONS = {
	bounce: __('Bounced', 'almaseo-outreach'),
	spamreport: __('Reported as spam', 'almaseo-outreach'),
	unsubscribe: __('Unsubscribed', 'almaseo-outreach'),
	manual: __('Added by hand', 'almaseo-outreach'),
};

// What a reply is (docs/api.md §16) and the labels a person gives it.
export const REPLY_KINDS = {
	human: __('Reply', 'almaseo-outreach'),
	auto_reply: __('Auto-reply', 'almaseo-outreach'),
	bounce: __('Bounce', 'almaseo-outreach'),
	unsubscribe_request: __('Unsubscribe request', 'almaseo-outreach'),
};

export const REPLY_LABELS = {
	interested: __('Interested', 'almaseo-outreach'),
	not_interested: __('Not interested', 'almaseo-outreach'),
	later: __('Later', 'almaseo-outreach'),
	referral: __('Referral', 'almaseo-outreach'),
};

export const columnLabel = (key) =>
	(COLUMNS.find((c) => c.key === key) || { label: key }).label;

// The placeholders a template may use: one text for the Send and Templates dialogs.
export const PLACEHOLDER_HINT = __(
	'Placeholders: {{url}}, {{anchor_text}}, {{target_url}}, {{domain}}, {{contact_name}}, {{first_name}}, {{site_name}}, {{unsubscribe_url}}; a fallback: {{first_name|there}}',
	'almaseo-outreach'
);

// The columns as [value, label] pairs for a select.
export const columnOptions = () => COLUMNS.map((c) => [c.key, c.label]);
