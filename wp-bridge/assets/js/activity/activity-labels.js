/**
 * The words of the activity log: why a sequence stopped, what the trail's other actions
 * did, the kind filter's options (docs/api.md §21).
 */
import { __ } from '../common/i18n.js';

// Why a sequence stopped (the service's stop reasons).
const REASONS = {
	reply: __('they replied', 'almaseo-outreach'),
	colleague_replied: __('a colleague replied', 'almaseo-outreach'),
	bounce: __('the email bounced', 'almaseo-outreach'),
	unsubscribed: __('they unsubscribed', 'almaseo-outreach'),
	suppressed: __(
		'the address is on the do-not-contact list',
		'almaseo-outreach'
	),
	click: __('they clicked a link', 'almaseo-outreach'),
	open: __('they opened the email', 'almaseo-outreach'),
	manual: __('stopped by hand', 'almaseo-outreach'),
	won: __('the card was won', 'almaseo-outreach'),
	deleted: __('the card was deleted', 'almaseo-outreach'),
	failed: __('sending kept failing', 'almaseo-outreach'),
};

// What the trail's other actions did (no card): settings, templates, webhooks…
export const OTHER = {
	'site.update': __('changed the settings', 'almaseo-outreach'),
	'site.pause': __('paused sending', 'almaseo-outreach'),
	'site.resume': __('resumed sending', 'almaseo-outreach'),
	'suppression.create': __(
		'added to the do-not-contact list',
		'almaseo-outreach'
	),
	'suppression.delete': __(
		'removed from the do-not-contact list',
		'almaseo-outreach'
	),
	'template.create': __('created a template', 'almaseo-outreach'),
	'template.update': __('edited a template', 'almaseo-outreach'),
	'template.delete': __('deleted a template', 'almaseo-outreach'),
	'sequence.create': __('created a sequence', 'almaseo-outreach'),
	'sequence.update': __('edited a sequence', 'almaseo-outreach'),
	'sequence.delete': __('deleted a sequence', 'almaseo-outreach'),
};

export const reasonLabel = (reason) => REASONS[reason] || reason || '';

// The kind filter's options.
export const KIND_OPTIONS = [
	['', __('All kinds', 'almaseo-outreach')],
	['move', __('Moves', 'almaseo-outreach')],
	['card', __('Cards added, edited, deleted', 'almaseo-outreach')],
	['email', __('Emails', 'almaseo-outreach')],
	['reply', __('Replies', 'almaseo-outreach')],
	['auto_reply', __('Auto-replies', 'almaseo-outreach')],
	['unsubscribe', __('Unsubscribes', 'almaseo-outreach')],
	['sequence', __('Sequences', 'almaseo-outreach')],
	['other', __('Settings and lists', 'almaseo-outreach')],
];
