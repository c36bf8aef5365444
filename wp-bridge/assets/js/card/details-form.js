/**
 * The panel's Details tab: every editable field of a card; only what changed is saved,
 * after a same-page check when the source URL changes; closing the panel with unsaved
 * edits asks first.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { can } from '../common/config.js';
import { patch } from '../common/api.js';
import { notice } from '../common/notices.js';
import { refresh } from '../common/sync.js';
import { button } from '../common/controls.js';
import { form } from '../common/form.js';
import { showError, clearError } from '../common/modal.js';
import { lookupDuplicate } from './duplicates.js';
import { CARD_FIELDS } from './card-fields.js';
import { metricsForm } from './metrics-fields.js';
import { projectField } from '../board/project-picker.js';

/**
 * The fields whose value differs from the card's.
 *
 * @param {Object} card   Card.
 * @param {Object} values The form's values.
 * @return {Object} Changed fields.
 */
function changes(card, values) {
	const data = {};
	Object.keys(values).forEach((name) => {
		const before = name === 'notes' ? card.notes || '' : card[name] || null;
		if (values[name] !== before) {
			data[name] = values[name];
		}
	});
	return data;
}

function warnSamePage(target, twin) {
	showError(target, {
		message: sprintf(
			/* translators: %s: domain */
			__(
				'Another card is for the same page (%s). Save again to keep both.',
				'almaseo-outreach'
			),
			twin.domain
		),
		fields: {},
	});
}

/**
 * Save the changed fields of a card (a second press saves despite a same-page warning).
 *
 * @param {Object} card   Card.
 * @param {Object} fields The form.
 * @param {Object} target Panel handles.
 * @return {Promise} Done.
 */
function saveDetails(card, fields, target) {
	clearError(target);
	const data = changes(card, fields.values());
	const metrics = fields.metrics.changes();
	if (metrics) {
		data.metrics = metrics;
	}
	const project = fields.project.changed();
	if (project !== undefined) {
		data.project_id = project;
	}
	if (!Object.keys(data).length) {
		notice(__('Nothing to save.', 'almaseo-outreach'), 'info');
		return Promise.resolve();
	}
	const check =
		data.source_url && !fields.warned
			? lookupDuplicate(data.source_url, card.id)
			: Promise.resolve(null);
	return check.then((twin) => {
		if (twin) {
			fields.warned = true;
			warnSamePage(target, twin);
			return;
		}
		return patch('/opportunities/' + card.id, data)
			.then((saved) => {
				Object.assign(card, saved || data);
				fields.settle();
				fields.metrics.form.settle();
				notice(__('Card saved.', 'almaseo-outreach'), 'success');
				return refresh();
			})
			.catch((error) => showError(target, error));
	});
}

/**
 * The Details tab of a card (read-only without `edit`).
 *
 * @param {Object} card   Card.
 * @param {Object} target Panel handles (errors are shown there).
 * @return {window.HTMLElement} The form.
 */
export function detailsForm(card, target) {
	const specs = Object.values(CARD_FIELDS).filter(
		// Why: contact_name is shown only where the service has the field.
		(spec) => spec.name !== 'contact_name' || 'contact_name' in card
	);
	const fields = form('OpportunityPatch', specs, { readOnly: !can('edit') });
	fields.fill(card);
	fields.metrics = metricsForm(card, !can('edit'));
	fields.project = projectField(card, !can('edit'));
	// the panel asks before it drops edits
	target.guard = () =>
		fields.changed() ||
		fields.metrics.form.changed() ||
		fields.project.changed() !== undefined;
	const node = h('div', { className: 'ao-detail-form' }, [
		...fields.nodes,
		fields.project.node,
		fields.metrics.node,
	]);
	if (can('edit')) {
		node.appendChild(
			h('p', { className: 'ao-detail-actions' }, [
				button(
					__('Save changes', 'almaseo-outreach'),
					() => saveDetails(card, fields, target),
					'button-primary ao-save'
				),
			])
		);
	}
	return node;
}
