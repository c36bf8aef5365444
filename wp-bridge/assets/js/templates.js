/**
 * AlmaSEO Outreach: the Templates dialog (list, create, edit, delete, preview).
 */
(function () {
	'use strict';

	const { __ } = wp.i18n;
	const AO = window.almaseoOutreach;
	const h = AO.h;

	function listRow(title, detail, buttons, kind, id) {
		return h(
			'li',
			{ className: 'ao-library-item', dataset: { kind, id: String(id) } },
			[
				h('strong', { className: 'ao-library-name', text: title }),
				detail
					? h('span', {
							className: 'ao-library-detail',
							text: ' — ' + detail,
						})
					: null,
				h('span', { className: 'ao-library-actions' }, buttons),
			]
		);
	}

	function closeRow(modal) {
		modal.footer.appendChild(
			h('button', {
				type: 'button',
				className: 'button ao-cancel',
				text: __('Close', 'almaseo-outreach'),
				onClick: () => modal.close(),
			})
		);
	}

	AO.modals.templates = function () {
		const modal = AO.modal(
			__('Templates', 'almaseo-outreach'),
			'templates'
		);
		const list = h('ul', { className: 'ao-library' });
		const form = h('div', { className: 'ao-library-form' });
		modal.body.appendChild(list);
		modal.body.appendChild(form);
		const reload = () =>
			AO.loadTemplates(true)
				.then((items) => {
					AO.clear(list);
					if (!items.length) {
						list.appendChild(
							h('li', {
								text: __(
									'No templates yet.',
									'almaseo-outreach'
								),
							})
						);
					}
					items.forEach((t) => {
						const buttons = [];
						if (AO.can('templates')) {
							buttons.push(
								h('button', {
									type: 'button',
									className: 'button button-small ao-edit',
									text: __('Edit', 'almaseo-outreach'),
									onClick: () => edit(t),
								})
							);
							buttons.push(
								AO.button(
									__('Delete', 'almaseo-outreach'),
									() =>
										AO.del('/templates/' + t.id)
											.then(() => {
												AO.notice(
													__(
														'Template deleted.',
														'almaseo-outreach'
													),
													'success'
												);
												return reload();
											})
											.catch((error) =>
												AO.showError(modal, error)
											),
									'button-small button-link-delete ao-delete'
								)
							);
						}
						list.appendChild(
							listRow(
								t.name,
								t.subject,
								buttons,
								'template',
								t.id
							)
						);
					});
				})
				.catch((error) => AO.showError(modal, error));
		const edit = (template) => {
			AO.clear(form);
			AO.clearError(modal);
			const name = AO.field(
				__('Name', 'almaseo-outreach'),
				'name',
				AO.input('text', template ? template.name : '')
			);
			const subject = AO.field(
				__('Subject', 'almaseo-outreach'),
				'subject',
				AO.input('text', template ? template.subject : '')
			);
			const body = AO.field(
				__('Body', 'almaseo-outreach'),
				'body',
				AO.textarea(template ? template.body : '', 8),
				__(
					'Plain text becomes styled HTML. Placeholders: {{url}}, {{anchor_text}}, {{target_url}}, {{domain}}',
					'almaseo-outreach'
				)
			);
			const preview = h('pre', {
				className: 'ao-preview-text',
				hidden: true,
			});
			form.appendChild(
				h('h3', {
					text: template
						? __('Edit template', 'almaseo-outreach')
						: __('New template', 'almaseo-outreach'),
				})
			);
			[name, subject, body].forEach((node) => form.appendChild(node));
			const data = () => ({
				name: name.control.value,
				subject: subject.control.value,
				body: body.control.value,
			});
			form.appendChild(
				h('p', {}, [
					AO.button(
						__('Save template', 'almaseo-outreach'),
						() =>
							(template
								? AO.patch('/templates/' + template.id, data())
								: AO.post('/templates', data())
							)
								.then(() => {
									AO.notice(
										__(
											'Template saved.',
											'almaseo-outreach'
										),
										'success'
									);
									AO.clear(form);
									AO.clearError(modal);
									return reload();
								})
								.catch((error) => AO.showError(modal, error)),
						'button-primary ao-save-template'
					),
					' ',
					AO.button(
						__('Preview', 'almaseo-outreach'),
						() =>
							AO.post('/templates/preview', {
								subject: subject.control.value,
								body: body.control.value,
							})
								.then((result) => {
									preview.hidden = false;
									preview.textContent =
										result.subject + '\n\n' + result.text;
								})
								.catch((error) => AO.showError(modal, error)),
						'ao-preview-button'
					),
				])
			);
			form.appendChild(preview);
			name.control.focus();
		};
		if (AO.can('templates')) {
			modal.footer.appendChild(
				h('button', {
					type: 'button',
					className: 'button button-primary ao-new-template',
					text: __('New template', 'almaseo-outreach'),
					onClick: () => edit(null),
				})
			);
		}
		closeRow(modal);
		reload();
	};

	AO.listRow = listRow;
	AO.closeRow = closeRow;
})();
