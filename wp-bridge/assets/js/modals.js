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
			AO.button(
				__('Add', 'almaseo-outreach'),
				() =>
					submit(
						modal,
						() =>
							AO.post('/opportunities', {
								source_url: f.source_url.control.value.trim(),
								target_url: orNull(f.target_url.control.value),
								anchor_text: orNull(
									f.anchor_text.control.value
								),
								contact_email: orNull(
									f.contact_email.control.value
								),
								status: f.status.control.value,
								notes: f.notes.control.value,
							}),
						__('Opportunity added.', 'almaseo-outreach')
					),
				'button-primary ao-save'
			),
		]);
	};

	modals.move = function (card) {
		const modal = AO.modal(
			sprintf(
				/* translators: %s: domain */ __(
					'Move %s to…',
					'almaseo-outreach'
				),
				card.domain
			),
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
			AO.button(
				__('Move', 'almaseo-outreach'),
				() => {
					const data = { status: column.control.value };
					if (where.control.value === 'top') {
						data.position = 0;
					}
					return submit(
						modal,
						() =>
							AO.post(
								'/opportunities/' + card.id + '/move',
								data
							),
						__('Card moved.', 'almaseo-outreach')
					);
				},
				'button-primary ao-save'
			),
		]);
	};

	modals.notes = function (card) {
		const modal = AO.modal(
			sprintf(
				/* translators: %s: domain */ __(
					'Notes for %s',
					'almaseo-outreach'
				),
				card.domain
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
			AO.button(
				__('Save notes', 'almaseo-outreach'),
				() =>
					submit(
						modal,
						() =>
							AO.put('/opportunities/' + card.id + '/notes', {
								notes: notes.control.value,
							}),
						__('Notes saved.', 'almaseo-outreach')
					),
				'button-primary ao-save'
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
			AO.button(
				__('Delete', 'almaseo-outreach'),
				() =>
					submit(
						modal,
						() => AO.del('/opportunities/' + card.id),
						__('Opportunity deleted.', 'almaseo-outreach')
					),
				'button-primary button-link-delete ao-confirm-delete'
			),
		]);
	};

	modals.send = function (card) {
		const modal = AO.modal(
			sprintf(
				/* translators: %s: domain */ __(
					'Send Email to %s',
					'almaseo-outreach'
				),
				card.domain
			),
			'send'
		);
		const to = AO.field(
			__('Recipient', 'almaseo-outreach'),
			'to',
			input('email', card.contact_email || '')
		);
		const template = AO.field(
			__('Template', 'almaseo-outreach'),
			'template_id',
			select([['', __('Custom email (no template)', 'almaseo-outreach')]])
		);
		const subject = AO.field(
			__('Subject', 'almaseo-outreach'),
			'subject',
			input('text')
		);
		const body = AO.field(
			__('Body', 'almaseo-outreach'),
			'body',
			textarea('', 8),
			__(
				'Placeholders: {{url}}, {{anchor_text}}, {{target_url}}, {{domain}}',
				'almaseo-outreach'
			)
		);
		const preview = h('div', { className: 'ao-preview', hidden: true });
		[to, template, subject, body, preview].forEach((node) =>
			modal.body.appendChild(node)
		);
		const custom = () => template.control.value === '';
		const toggle = () => {
			subject.hidden = !custom();
			body.hidden = !custom();
		};
		let touched = false;
		template.control.addEventListener('change', () => {
			touched = true;
			toggle();
		});
		loadTemplates(true)
			.then((list) => {
				list.forEach((t) =>
					template.control.appendChild(
						h('option', { value: String(t.id), text: t.name })
					)
				);
				// Why: a choice made while the list was loading is kept.
				if (list.length && !touched) {
					template.control.value = String(list[0].id);
				}
				toggle();
			})
			.catch((error) => AO.showError(modal, error));
		const content = () =>
			custom()
				? { subject: subject.control.value, body: body.control.value }
				: { template_id: parseInt(template.control.value, 10) };
		footer(modal, [
			AO.button(
				__('Preview', 'almaseo-outreach'),
				() => {
					AO.clearError(modal);
					return AO.post(
						'/templates/preview',
						Object.assign({ opportunity_id: card.id }, content())
					)
						.then((result) => showPreview(preview, result))
						.catch((error) => AO.showError(modal, error));
				},
				'ao-preview-button'
			),
			AO.button(
				__('Send', 'almaseo-outreach'),
				() =>
					submit(
						modal,
						() =>
							AO.post(
								'/opportunities/' + card.id + '/emails',
								Object.assign(
									{ to: to.control.value.trim() },
									content()
								)
							),
						__('Email sent.', 'almaseo-outreach')
					),
				'button-primary ao-send'
			),
		]);
	};

	function showPreview(node, result) {
		AO.clear(node);
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

	modals.history = function (card) {
		const modal = AO.modal(
			sprintf(
				/* translators: %s: domain */ __(
					'Email History — %s',
					'almaseo-outreach'
				),
				card.domain
			),
			'history'
		);
		const list = h('div', { className: 'ao-history' }, [
			h('p', { text: __('Loading…', 'almaseo-outreach') }),
		]);
		modal.body.appendChild(list);
		footer(modal, []);
		AO.get('/opportunities/' + card.id + '/emails')
			.then((emails) => {
				AO.clear(list);
				const items = Array.isArray(emails)
					? emails
					: emails.items || [];
				if (!items.length) {
					list.appendChild(
						h('p', {
							text: __('No email sent yet.', 'almaseo-outreach'),
						})
					);
				}
				items.forEach((email) =>
					list.appendChild(renderEmail(email, modal))
				);
			})
			.catch((error) => AO.showError(modal, error));
	};

	const EVENT_LABELS = {
		sent: __('Sent', 'almaseo-outreach'),
		processed: __('Accepted by SendGrid', 'almaseo-outreach'),
		delivered: __('Delivered', 'almaseo-outreach'),
		deferred: __('Deferred', 'almaseo-outreach'),
		open: __('Opened', 'almaseo-outreach'),
		click: __('Clicked', 'almaseo-outreach'),
		replied: __('Replied', 'almaseo-outreach'),
		bounce: __('Bounced', 'almaseo-outreach'),
		dropped: __('Dropped', 'almaseo-outreach'),
		spamreport: __('Marked as spam', 'almaseo-outreach'),
		unsubscribe: __('Unsubscribed', 'almaseo-outreach'),
	};

	function eventDetail(e) {
		const detail = e.detail;
		if (!detail || typeof detail !== 'object') {
			return typeof detail === 'string' ? detail : '';
		}
		if (detail.machine_open) {
			return __(
				'automatic open by a mail privacy feature; not counted',
				'almaseo-outreach'
			);
		}
		return String(detail.reason || detail.url || '');
	}

	function renderEmail(email, modal) {
		const events = [{ type: 'sent', at: email.sent_at }]
			.concat(email.events || [])
			.filter((e) => e.at);
		const timeline = h(
			'ol',
			{ className: 'ao-timeline' },
			events.map((e) =>
				h(
					'li',
					{
						className: 'ao-event ao-event-' + e.type,
						dataset: { type: e.type },
					},
					[
						h('span', {
							className: 'ao-event-type',
							text: EVENT_LABELS[e.type] || e.type,
						}),
						' ',
						h('time', { dateTime: e.at, text: AO.when(e.at) }),
						eventDetail(e)
							? h('span', {
									className: 'ao-event-detail',
									text: ' — ' + eventDetail(e),
								})
							: null,
					]
				)
			)
		);
		const actions = [];
		if (
			AO.can('edit') &&
			email.status !== 'replied' &&
			email.status !== 'bounced'
		) {
			actions.push(
				AO.button(
					__('Mark replied', 'almaseo-outreach'),
					() =>
						AO.post('/emails/' + email.id + '/replied')
							.then(() => {
								AO.notice(
									__(
										'Marked as replied.',
										'almaseo-outreach'
									),
									'success'
								);
								AO.refresh(true);
								modal.close();
							})
							.catch((error) => AO.showError(modal, error)),
					'button-small ao-mark-replied'
				)
			);
		}
		return h(
			'section',
			{
				className: 'ao-email',
				dataset: { id: String(email.id), status: email.status || '' },
			},
			[
				h('h3', {}, [
					email.subject,
					' ',
					h('span', {
						className:
							'ao-badge ao-email-status ao-status-' +
							email.status,
						text: AO.EMAIL_STATUS[email.status] || email.status,
					}),
				]),
				h('p', {
					className: 'ao-email-to',
					text: sprintf(
						/* translators: %s: recipient address */ __(
							'To: %s',
							'almaseo-outreach'
						),
						email.to
					),
				}),
				timeline,
				h('div', {}, actions),
			]
		);
	}

	modals.assignSequence = function (card) {
		const modal = AO.modal(
			sprintf(
				/* translators: %s: domain */
				__('Assign Sequence — %s', 'almaseo-outreach'),
				card.domain
			),
			'assign-sequence'
		);
		const seq = AO.field(
			__('Sequence', 'almaseo-outreach'),
			'sequence_id',
			select([])
		);
		const to = AO.field(
			__('Recipient', 'almaseo-outreach'),
			'to',
			input('email', card.contact_email || '')
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
		AO.get('/sequences')
			.then((list) => {
				list.forEach((s) =>
					seq.control.appendChild(
						h('option', { value: String(s.id), text: s.name })
					)
				);
				if (!list.length) {
					AO.showError(modal, {
						message: __(
							'Create a sequence first (Sequences button above the board).',
							'almaseo-outreach'
						),
						fields: {},
					});
				}
			})
			.catch((error) => AO.showError(modal, error));
		footer(modal, [
			AO.button(
				__('Start Sequence', 'almaseo-outreach'),
				() =>
					submit(
						modal,
						() =>
							AO.post('/opportunities/' + card.id + '/sequence', {
								sequence_id: parseInt(seq.control.value, 10),
								to: to.control.value.trim(),
							}),
						__('Sequence started; step 1 sent.', 'almaseo-outreach')
					),
				'button-primary ao-save'
			),
		]);
	};

	modals.stopSequence = function (card) {
		const modal = AO.modal(
			__('Stop Sequence?', 'almaseo-outreach'),
			'stop-sequence'
		);
		modal.body.appendChild(
			h('p', {
				text: sprintf(
					/* translators: 1: sequence name, 2: domain */
					__(
						'Stop “%1$s” for %2$s? No further step will be sent.',
						'almaseo-outreach'
					),
					card.sequence.name,
					card.domain
				),
			})
		);
		footer(modal, [
			AO.button(
				__('Stop Sequence', 'almaseo-outreach'),
				() =>
					submit(
						modal,
						() => AO.del('/opportunities/' + card.id + '/sequence'),
						__('Sequence stopped.', 'almaseo-outreach')
					),
				'button-primary ao-save'
			),
		]);
	};

	AO.modals.site = function () {
		const modal = AO.modal(
			__('Sending limits and sender', 'almaseo-outreach'),
			'site'
		);
		const fields = {
			daily_limit: AO.field(
				__(
					'Daily limit (emails per rolling 24 hours)',
					'almaseo-outreach'
				),
				'daily_limit',
				input('number', '', { min: 0 })
			),
			cooldown_hours: AO.field(
				__('Cooldown per recipient (hours)', 'almaseo-outreach'),
				'cooldown_hours',
				input('number', '', { min: 0, step: 'any' })
			),
			from_email: AO.field(
				__('From email', 'almaseo-outreach'),
				'from_email',
				input('email')
			),
			from_name: AO.field(
				__('From name', 'almaseo-outreach'),
				'from_name',
				input('text')
			),
			reply_to: AO.field(
				__('Reply-To', 'almaseo-outreach'),
				'reply_to',
				input('email')
			),
			timezone: AO.field(
				__('Time zone', 'almaseo-outreach'),
				'timezone',
				input('text')
			),
		};
		Object.values(fields).forEach((node) => modal.body.appendChild(node));
		AO.get('/site')
			.then((site) =>
				Object.keys(fields).forEach((k) => {
					fields[k].control.value =
						site[k] === null || site[k] === undefined
							? ''
							: String(site[k]);
				})
			)
			.catch((error) => AO.showError(modal, error));
		footer(modal, [
			AO.button(
				__('Save', 'almaseo-outreach'),
				() =>
					submit(
						modal,
						() =>
							AO.patch('/site', {
								daily_limit: parseInt(
									fields.daily_limit.control.value,
									10
								),
								cooldown_hours: parseFloat(
									fields.cooldown_hours.control.value
								),
								from_email: orNull(
									fields.from_email.control.value
								),
								from_name: orNull(
									fields.from_name.control.value
								),
								reply_to: orNull(fields.reply_to.control.value),
								timezone:
									fields.timezone.control.value.trim() ||
									'UTC',
							}),
						__('Settings saved.', 'almaseo-outreach')
					),
				'button-primary ao-save'
			),
		]);
	};

	AO.select = select;
	AO.input = input;
	AO.textarea = textarea;
	AO.loadTemplates = loadTemplates;
})();
