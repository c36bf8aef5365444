/**
 * AlmaSEO Outreach: DOM helpers, modals, notices and forms. Data goes in as text only.
 */
(function () {
	'use strict';

	const { __ } = wp.i18n;
	const AO = window.almaseoOutreach;

	/**
	 * Create an element. Children that are strings become text nodes (never HTML).
	 *
	 * @param {string} tag      Tag name.
	 * @param {Object} props    Attributes; `className`, `text`, `on<Event>` and `dataset` are special.
	 * @param {Array}  children Nodes or strings.
	 * @return {window.HTMLElement} Element.
	 */
	AO.h = function (tag, props, children) {
		const node = document.createElement(tag);
		Object.entries(props || {}).forEach(([key, value]) => {
			if (value === undefined || value === null || value === false) {
				return;
			}
			if (key === 'className') {
				node.className = value;
			} else if (key === 'text') {
				node.textContent = String(value);
			} else if (key === 'dataset') {
				Object.assign(node.dataset, value);
			} else if (key.startsWith('on') && typeof value === 'function') {
				node.addEventListener(key.slice(2).toLowerCase(), value);
			} else if (key === 'value') {
				node.value = value;
			} else if (key === 'checked') {
				node.checked = Boolean(value);
			} else {
				node.setAttribute(key, value === true ? '' : String(value));
			}
		});
		(children || []).forEach((child) => {
			if (child === null || child === undefined || child === false) {
				return;
			}
			node.appendChild(
				typeof child === 'string' || typeof child === 'number'
					? document.createTextNode(String(child))
					: child
			);
		});
		return node;
	};

	AO.clear = function (node) {
		while (node.firstChild) {
			node.removeChild(node.firstChild);
		}
		return node;
	};

	/**
	 * Show a message in the page's notice area.
	 *
	 * @param {string} message Text.
	 * @param {string} kind    success|error|info.
	 */
	AO.notice = function (message, kind) {
		const area = document.getElementById('ao-notices');
		if (!area) {
			return;
		}
		const item = AO.h(
			'div',
			{
				className: 'notice ao-notice notice-' + (kind || 'info'),
				role: kind === 'error' ? 'alert' : 'status',
			},
			[AO.h('p', { text: message })]
		);
		area.appendChild(item);
		window.setTimeout(() => item.remove(), kind === 'error' ? 15000 : 5000);
	};

	let openModal = null;

	/**
	 * Keep Tab and Shift+Tab inside an open dialog (it is modal).
	 *
	 * @param {window.HTMLElement}   dialog The dialog.
	 * @param {window.KeyboardEvent} event  The Tab key event.
	 */
	function keepFocusInside(dialog, event) {
		const focusable = Array.from(
			dialog.querySelectorAll(
				'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex="0"]'
			)
		).filter((node) => node.offsetParent !== null);
		if (!focusable.length) {
			return;
		}
		const first = focusable[0];
		const last = focusable[focusable.length - 1];
		const active = dialog.ownerDocument.activeElement;
		if (event.shiftKey && (active === first || !dialog.contains(active))) {
			event.preventDefault();
			last.focus();
		} else if (
			!event.shiftKey &&
			(active === last || !dialog.contains(active))
		) {
			event.preventDefault();
			first.focus();
		}
	}

	/**
	 * Open a modal dialog. Returns { body, footer, error, close }.
	 *
	 * @param {string} title   Title.
	 * @param {string} name    Machine name (data-modal, used by tests and CSS).
	 * @param {Object} options { onClose }.
	 * @return {Object} Handles.
	 */
	AO.modal = function (title, name, options) {
		if (openModal) {
			openModal.close();
		}
		const previous = document.body.ownerDocument.activeElement;
		const titleId = 'ao-modal-title-' + name;
		const error = AO.h('div', {
			className: 'ao-modal-error',
			role: 'alert',
			hidden: true,
		});
		const body = AO.h('div', { className: 'ao-modal-body' });
		const footer = AO.h('div', { className: 'ao-modal-footer' });
		const closeButton = AO.h('button', {
			type: 'button',
			className: 'ao-modal-close button-link',
			'aria-label': __('Close', 'almaseo-outreach'),
			text: '×',
		});
		const dialog = AO.h(
			'div',
			{
				className: 'ao-modal',
				role: 'dialog',
				'aria-modal': 'true',
				'aria-labelledby': titleId,
				dataset: { modal: name },
			},
			[
				AO.h('div', { className: 'ao-modal-header' }, [
					AO.h('h2', { id: titleId, text: title }),
					closeButton,
				]),
				error,
				body,
				footer,
			]
		);
		const overlay = AO.h('div', { className: 'ao-modal-overlay' }, [
			dialog,
		]);
		const handle = {
			body,
			footer,
			dialog,
			error,
			close() {
				overlay.remove();
				document.removeEventListener('keydown', onKey);
				openModal = null;
				if (options && options.onClose) {
					options.onClose();
				}
				if (previous && previous.focus) {
					previous.focus();
				}
			},
		};
		function onKey(event) {
			if (event.key === 'Escape') {
				handle.close();
			} else if (event.key === 'Tab') {
				keepFocusInside(dialog, event);
			}
		}
		closeButton.addEventListener('click', () => handle.close());
		overlay.addEventListener('mousedown', (event) => {
			if (event.target === overlay) {
				handle.close();
			}
		});
		document.addEventListener('keydown', onKey);
		document.body.appendChild(overlay);
		openModal = handle;
		window.setTimeout(() => {
			const first = dialog.querySelector(
				'input, select, textarea, button:not(.ao-modal-close)'
			);
			(first || closeButton).focus();
		}, 0);
		return handle;
	};

	AO.isModalOpen = () => openModal !== null;

	/**
	 * A labelled form field. Returns the wrapper; the control is `.control`.
	 *
	 * @param {string} label   Label text.
	 * @param {string} name    Field name (matches the API's field for error display).
	 * @param {Object} control Element (input, select, textarea).
	 * @param {string} help    Optional help text.
	 * @return {window.HTMLElement} Wrapper.
	 */
	AO.field = function (label, name, control, help) {
		const id =
			'ao-field-' + name + '-' + Math.random().toString(36).slice(2, 8);
		control.id = id;
		control.name = name;
		const wrapper = AO.h(
			'p',
			{ className: 'ao-field', dataset: { field: name } },
			[
				AO.h('label', { for: id, text: label }),
				control,
				help
					? AO.h('span', { className: 'description', text: help })
					: null,
				AO.h('span', {
					className: 'ao-field-error',
					role: 'alert',
					hidden: true,
				}),
			]
		);
		wrapper.control = control;
		return wrapper;
	};

	/**
	 * Show an error in a modal: the message on top, each named field under its control.
	 * What the person typed stays in place.
	 *
	 * @param {Object} modal Modal handles.
	 * @param {Object} error Normalised error.
	 */
	AO.showError = function (modal, error) {
		modal.dialog.querySelectorAll('.ao-field-error').forEach((node) => {
			node.hidden = true;
			node.textContent = '';
		});
		const named = [];
		Object.keys(error.fields || {}).forEach((name) => {
			const slot = modal.dialog.querySelector(
				'[data-field="' + name + '"] .ao-field-error'
			);
			named.push(name + ': ' + error.fields[name]);
			if (slot) {
				slot.textContent = error.fields[name];
				slot.hidden = false;
			}
		});
		modal.error.textContent =
			error.message + (named.length ? ' — ' + named.join('; ') : '');
		modal.error.hidden = false;
	};

	AO.clearError = function (modal) {
		modal.error.hidden = true;
		modal.error.textContent = '';
	};

	/**
	 * A button that runs an async action, disabled while it runs.
	 *
	 * @param {string}   label     Text.
	 * @param {Function} action    Returns a promise.
	 * @param {string}   className Extra classes.
	 * @return {window.HTMLElement} Button.
	 */
	AO.button = function (label, action, className) {
		const button = AO.h('button', {
			type: 'button',
			className: 'button ' + (className || ''),
			text: label,
		});
		button.addEventListener('click', () => {
			if (button.disabled) {
				return;
			}
			button.disabled = true;
			Promise.resolve()
				.then(action)
				.catch(() => {})
				.then(() => {
					button.disabled = false;
				});
		});
		return button;
	};

	/**
	 * A date-time as the reader's local time.
	 *
	 * @param {string} iso ISO 8601.
	 * @return {string} Text.
	 */
	AO.when = function (iso) {
		if (!iso) {
			return '';
		}
		const date = new Date(iso);
		return isNaN(date.getTime()) ? iso : date.toLocaleString();
	};
})();
