/**
 * A card's editable fields as dialogs show them (the Add dialog, the panel's Details tab);
 * their limits are the service's (common/form.js reads them from common/fields.js).
 */
import { __ } from '../common/i18n.js';

export const CARD_FIELDS = {
	source_url: {
		name: 'source_url',
		label: __('Source URL', 'almaseo-outreach'),
		type: 'url',
		trim: true,
	},
	target_url: {
		name: 'target_url',
		label: __('Target URL', 'almaseo-outreach'),
		type: 'url',
	},
	anchor_text: {
		name: 'anchor_text',
		label: __('Anchor text', 'almaseo-outreach'),
		type: 'text',
	},
	contact_email: {
		name: 'contact_email',
		label: __('Contact email', 'almaseo-outreach'),
		type: 'email',
	},
	contact_name: {
		name: 'contact_name',
		label: __('Contact name', 'almaseo-outreach'),
		type: 'text',
	},
	notes: {
		name: 'notes',
		label: __('Notes', 'almaseo-outreach'),
		type: 'textarea',
		rows: 5,
	},
};
