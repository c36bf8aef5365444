/**
 * AlmaSEO Outreach: the board's dialogs. Every failed save keeps the form as typed and says why.
 */
(function () {
	'use strict';

	const { __, sprintf } = wp.i18n;
	const AO = window.almaseoOutreach;
	const h = AO.h;
	const modals = (AO.modals = {});

	const input = (type, value, extra) =>
		h(
			'input',
			Object.assign(
				{ type, value: value || '', className: 'regular-text' },
				extra || {}
			)
		);
	const textarea = (value, rows) =>
		h('textarea', {
			rows: rows || 6,
			className: 'large-text',
			value: value || '',
		});
	const orNull = (value) => (value.trim() === '' ? null : value.trim());

	function select(options, value) {
		const node = h(
			'select',
			{},
			options.map(([v, label]) =>
				h('option', { value: String(v), text: label })
			)
		);
		if (value !== undefined && value !== null) {
			node.value = String(value);
		}
		return node;
	}

	/**
	 * Run a save from a modal: errors stay in the modal, success closes it and refreshes.
	 *
	 * @param {Object}   modal   Modal handles.
	 * @param {Function} save    Returns a promise.
	 * @param {string}   message Success notice.
	 * @return {Promise} Done.
	 */
	function submit(modal, save, message) {
		AO.clearError(modal);
		return save()
			.then((result) => {
				modal.close();
				if (message) {
					AO.notice(message, 'success');
				}
				AO.refresh(true);
				return result;
			})
			.catch((error) => {
				AO.showError(modal, error);
				throw error;
			});
	}

	/**
	 * A dialog's primary button: saves through submit(), so errors stay in the dialog.
	 *
	 * @param {Object}   modal     Modal handles.
	 * @param {string}   label     Text.
	 * @param {Function} save      Returns a promise.
	 * @param {string}   message   Success notice.
	 * @param {string}   className Classes; 'button-primary ao-save' by default.
	 * @return {window.HTMLElement} Button.
	 */
	function saveButton(modal, label, save, message, className) {
		return AO.button(
			label,
			() => submit(modal, save, message),
			className || 'button-primary ao-save'
		);
	}

	/**
	 * A dialog about one card, titled with the card's domain.
	 *
	 * @param {Object} card  Card.
	 * @param {string} title Translated title with one %s for the domain.
	 * @param {string} name  Machine name (data-modal).
	 * @return {Object} Modal handles.
	 */
	function cardModal(card, title, name) {
		return AO.modal(sprintf(title, card.domain), name);
	}

	function footer(modal, buttons) {
		buttons.forEach((button) => modal.footer.appendChild(button));
		modal.footer.appendChild(
			h('button', {
				type: 'button',
				className: 'button ao-cancel',
				text: __('Cancel', 'almaseo-outreach'),
				onClick: () => modal.close(),
			})
		);
	}

	let templatesCache = null;
	function loadTemplates(fresh) {
		if (!templatesCache || fresh) {
			templatesCache = AO.get('/templates').catch((error) => {
				templatesCache = null;
				throw error;
			});
		}
		return templatesCache;
	}

	modals.add = function () {
		const modal = AO.modal(
			__('Add Opportunity', 'almaseo-outreach'),
			'add'
		);
		const f = {
			source_url: AO.field(
				__(
					'Source URL (the page that should link)',
					'almaseo-outreach'
				),
				'source_url',
				input('url', '', { required: true })
			),
			target_url: AO.field(
				__('Target URL (your page)', 'almaseo-outreach'),
				'target_url',
				input('url')
			),
			anchor_text: AO.field(
				__('Anchor text', 'almaseo-outreach'),
				'anchor_text',
				input('text')
			),
			contact_email: AO.field(
				__('Contact email', 'almaseo-outreach'),
				'contact_email',
				input('email')
			),
			status: AO.field(
				__('Column', 'almaseo-outreach'),
				'status',
				select(
					AO.COLUMNS.map((c) => [c.key, c.label]),
					'new'
				)
			),
			notes: AO.field(
				__('Notes', 'almaseo-outreach'),
				'notes',
				textarea('', 3)
			),
		};
		Object.values(f).forEach((node) => modal.body.appendChild(node));
		footer(modal, [
			saveButton(
				modal,
				__('Add', 'almaseo-outreach'),
				() =>
					AO.post('/opportunities', {
						source_url: f.source_url.control.value.trim(),
						target_url: orNull(f.target_url.control.value),
						anchor_text: orNull(f.anchor_text.control.value),
						contact_email: orNull(f.contact_email.control.value),
						status: f.status.control.value,
						notes: f.notes.control.value,
					}),
				__('Opportunity added.', 'almaseo-outreach')
			),
		]);
	};

	modals.move = function (card) {
		const modal = cardModal(
			card,
			/* translators: %s: domain */ __('Move %s to…', 'almaseo-outreach'),
			'move'
		);
		const column = AO.field(
			__('Column', 'almaseo-outreach'),
			'status',
			select(
				AO.COLUMNS.map((c) => [c.key, c.label]),
				card.status
			)
		);
		const where = AO.field(
			__('Position', 'almaseo-outreach'),
			'position',
			select(
				[
					['end', __('At the bottom', 'almaseo-outreach')],
					['top', __('At the top', 'almaseo-outreach')],
				],
				'end'
			)
		);
		modal.body.appendChild(column);
		modal.body.appendChild(where);
		modal.body.appendChild(
			h('p', {
				className: 'description',
				text: __(
					'Tip: on a focused card, Alt+Arrow keys move it too.',
					'almaseo-outreach'
				),
			})
		);
		footer(modal, [
			saveButton(
				modal,
				__('Move', 'almaseo-outreach'),
				() => {
					const data = { status: column.control.value };
					if (where.control.value === 'top') {
						data.position = 0;
					}
					return AO.post('/opportunities/' + card.id + '/move', data);
				},
				__('Card moved.', 'almaseo-outreach')
			),
		]);
	};

	modals.notes = function (card) {
		const modal = cardModal(
			card,
			/* translators: %s: domain */ __(
				'Notes for %s',
				'almaseo-outreach'
			),
			'notes'
		);
		const notes = AO.field(
			__('Notes', 'almaseo-outreach'),
			'notes',
			textarea(card.notes, 8)
		);
		modal.body.appendChild(notes);
		if (!AO.can('edit')) {
			notes.control.readOnly = true;
			footer(modal, []);
			return;
		}
		footer(modal, [
			saveButton(
				modal,
				__('Save notes', 'almaseo-outreach'),
				() =>
					AO.put('/opportunities/' + card.id + '/notes', {
						notes: notes.control.value,
					}),
				__('Notes saved.', 'almaseo-outreach')
			),
		]);
	};

	modals.remove = function (card) {
		const modal = AO.modal(
			__('Delete opportunity?', 'almaseo-outreach'),
			'delete'
		);
		modal.body.appendChild(
			h('p', {
				text: sprintf(
					/* translators: %s: domain */
					__(
						'Delete the card for %s? Its sent emails stay in the metrics. Any running sequence stops.',
						'almaseo-outreach'
					),
					card.domain
				),
			})
		);
		footer(modal, [
			saveButton(
				modal,
				__('Delete', 'almaseo-outreach'),
				() => AO.del('/opportunities/' + card.id),
				__('Opportunity deleted.', 'almaseo-outreach'),
				'button-primary button-link-delete ao-confirm-delete'
			),
		]);
	};

	AO.select = select;
	AO.input = input;
	AO.textarea = textarea;
	AO.loadTemplates = loadTemplates;
	AO.submit = submit;
	AO.saveButton = saveButton;
	AO.cardModal = cardModal;
	AO.footer = footer;
	AO.orNull = orNull;
})();
