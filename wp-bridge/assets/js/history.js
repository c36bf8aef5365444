/**
 * AlmaSEO Outreach: the Email History timeline and the site's sending limits dialog.
 */
(function () {
	'use strict';

	const { __, sprintf } = wp.i18n;
	const AO = window.almaseoOutreach;
	const h = AO.h;
	const modals = AO.modals;
	const { input, saveButton, footer, orNull } = AO;

	modals.history = function (card) {
		const modal = AO.cardModal(
			card,
			/* translators: %s: domain */ __(
				'Email History — %s',
				'almaseo-outreach'
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
			saveButton(
				modal,
				__('Save', 'almaseo-outreach'),
				() =>
					AO.patch('/site', {
						daily_limit: parseInt(
							fields.daily_limit.control.value,
							10
						),
						cooldown_hours: parseFloat(
							fields.cooldown_hours.control.value
						),
						from_email: orNull(fields.from_email.control.value),
						from_name: orNull(fields.from_name.control.value),
						reply_to: orNull(fields.reply_to.control.value),
						timezone: fields.timezone.control.value.trim() || 'UTC',
					}),
				__('Settings saved.', 'almaseo-outreach')
			),
		]);
	};
})();
