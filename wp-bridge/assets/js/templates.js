/**
 * AlmaSEO Outreach: the Templates dialog (list, create, edit, delete, preview).
 */
(function () {
	'use strict';

	const { __ } = wp.i18n;
	const AO = window.almaseoOutreach;
	const h = AO.h;

	AO.modals.templates = function () {
		const modal = AO.modal(
			__('Templates', 'almaseo-outreach'),
			'templates'
		);
		const library = AO.libraryList({
			modal,
			kind: 'template',
			cap: 'templates',
			path: '/templates',
			load: () => AO.loadTemplates(true),
			detail: (t) => t.subject,
			onEdit: (t) => edit(t),
			empty: __('No templates yet.', 'almaseo-outreach'),
			newLabel: __('New template', 'almaseo-outreach'),
			deleted: __('Template deleted.', 'almaseo-outreach'),
		});
		const form = library.form;
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
							library.save(
								template,
								data(),
								__('Template saved.', 'almaseo-outreach')
							),
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
		library.reload();
	};
})();
