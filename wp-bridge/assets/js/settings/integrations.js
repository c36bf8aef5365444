/**
 * Outbound webhooks (outreach.settings, docs/api.md §17): add an endpoint (URL, events,
 * format), its signing secret shown once with a copy button, and per endpoint its recent
 * deliveries, a "Send test" button, switching it off or on, and deleting it.
 */
import { __, sprintf } from '../common/i18n.js';
import { get, post, patch, del } from '../common/api.js';
import { h, clear } from '../common/dom.js';
import { notice } from '../common/notices.js';
import { button } from '../common/controls.js';
import { form } from '../common/form.js';
import { when } from '../common/format.js';
import { showError, clearError } from '../common/modal.js';

const EVENTS = [
	['opportunity.created', __('A card is created', 'almaseo-outreach')],
	[
		'opportunity.moved',
		__('A card moves to another column', 'almaseo-outreach'),
	],
	['email.sent', __('An email is sent', 'almaseo-outreach')],
	['email.bounced', __('An email bounces', 'almaseo-outreach')],
	['reply.received', __('A reply arrives', 'almaseo-outreach')],
	['link.won', __('A link is won', 'almaseo-outreach')],
	['link.lost', __('A link is lost', 'almaseo-outreach')],
	[
		'suppression.added',
		__('An address goes on Do not contact', 'almaseo-outreach'),
	],
	['site.paused', __('Sending is paused', 'almaseo-outreach')],
];
const FORMATS = [
	['standard', __('Signed JSON (Standard Webhooks)', 'almaseo-outreach')],
	['slack', __('Slack message (incoming webhook URL)', 'almaseo-outreach')],
];

/**
 * One checkbox per event, all ticked.
 *
 * @return {window.HTMLElement} The fieldset; `.checked()` lists the ticked events.
 */
function eventBoxes() {
	const boxes = EVENTS.map(([name, label]) =>
		h('label', { className: 'ao-webhook-event' }, [
			h('input', { type: 'checkbox', value: name, checked: true }),
			' ' + label,
		])
	);
	const node = h(
		'fieldset',
		{
			className: 'ao-field ao-webhook-events',
			dataset: { field: 'events' },
		},
		[h('legend', { text: __('Events', 'almaseo-outreach') }), ...boxes]
	);
	node.checked = () =>
		boxes
			.map((b) => b.firstChild)
			.filter((i) => i.checked)
			.map((i) => i.value);
	return node;
}

/**
 * The secret of a new endpoint, shown this once, with a copy button.
 *
 * @param {string} secret The whsec_… secret.
 * @return {window.HTMLElement} The box.
 */
function secretBox(secret) {
	const code = h('code', { className: 'ao-webhook-secret', text: secret });
	const copy = button(
		__('Copy', 'almaseo-outreach'),
		() =>
			navigator.clipboard
				.writeText(secret)
				.then(() =>
					notice(__('Secret copied.', 'almaseo-outreach'), 'success')
				),
		'ao-webhook-copy'
	);
	return h('div', { className: 'notice notice-info ao-webhook-new' }, [
		h('p', {
			text: __(
				'Signing secret, shown only now: keep it in the receiving tool to check each delivery.',
				'almaseo-outreach'
			),
		}),
		h('p', {}, [code, ' ', copy]),
	]);
}

function attemptRow(a) {
	const outcome =
		a.error ||
		sprintf(
			/* translators: %d: HTTP status */ __(
				'HTTP %d',
				'almaseo-outreach'
			),
			a.status_code
		);
	return h(
		'li',
		{
			className: 'ao-webhook-attempt',
			dataset: { ok: a.error ? '0' : '1' },
		},
		[
			when(a.at) +
				' — ' +
				a.event_type +
				' #' +
				a.attempt +
				': ' +
				outcome +
				' (' +
				a.duration_ms +
				' ms)',
		]
	);
}

function deliveries(hook, list) {
	return get('/webhooks/' + hook.id + '/deliveries', { page_size: 10 }).then(
		(page) => {
			clear(list);
			if (!page.items.length) {
				list.appendChild(
					h('li', {
						text: __('No deliveries yet.', 'almaseo-outreach'),
					})
				);
			}
			page.items.forEach((a) => list.appendChild(attemptRow(a)));
		}
	);
}

/**
 * Send a ping now and say how it went; the log then shows it.
 *
 * @param {Object}             hook The endpoint.
 * @param {window.HTMLElement} log  Its deliveries list.
 * @return {Promise} Done.
 */
function sendTest(hook, log) {
	return post('/webhooks/' + hook.id + '/test').then((a) => {
		notice(
			a.error
				? sprintf(
						/* translators: %s: why */ __(
							'The test failed: %s',
							'almaseo-outreach'
						),
						a.error
					)
				: __('The test was delivered.', 'almaseo-outreach'),
			a.error ? 'error' : 'success'
		);
		return deliveries(hook, log);
	});
}

function actions(hook, log, reload, fail) {
	const toggle = () =>
		patch('/webhooks/' + hook.id, { active: !hook.active }).then(
			reload,
			fail
		);
	const remove = () => del('/webhooks/' + hook.id).then(reload, fail);
	return h('p', {}, [
		button(
			__('Send test', 'almaseo-outreach'),
			() => sendTest(hook, log).catch(fail),
			'ao-webhook-test'
		),
		' ',
		button(
			hook.active
				? __('Turn off', 'almaseo-outreach')
				: __('Turn on', 'almaseo-outreach'),
			toggle,
			'ao-webhook-toggle'
		),
		' ',
		button(
			__('Delete', 'almaseo-outreach'),
			remove,
			'button-link-delete ao-webhook-delete'
		),
	]);
}

function endpointRow(hook, host, reload) {
	const log = h('ul', { className: 'ao-webhook-deliveries' });
	const state = hook.active
		? __('On', 'almaseo-outreach')
		: hook.disabled_reason || __('Off', 'almaseo-outreach');
	const fail = (error) => showError(host, error);
	const row = h('li', { className: 'ao-webhook', dataset: { id: hook.id } }, [
		h('strong', { className: 'ao-webhook-url', text: hook.url }),
		' ',
		h('span', {
			className: 'ao-webhook-format',
			text: '(' + hook.format + ')',
		}),
		' — ',
		h('span', { className: 'ao-webhook-state', text: state }),
		h('p', { className: 'description', text: hook.events.join(', ') }),
		actions(hook, log, reload, fail),
		h('p', { text: __('Recent deliveries', 'almaseo-outreach') }),
		log,
	]);
	deliveries(hook, log).catch(fail);
	return row;
}

/**
 * The Integrations controls in a host (the screen's section): the add form and the
 * endpoints; returns the "Add endpoint" button for the host's footer.
 *
 * @param {Object} host Handles { dialog, body, error, footer }.
 * @return {window.HTMLElement} The add button.
 */
export function integrations(host) {
	const { fields, nodes } = form('Webhook', [
		{
			name: 'url',
			label: __('Endpoint URL', 'almaseo-outreach'),
			type: 'url',
		},
		{
			name: 'format',
			label: __('Format', 'almaseo-outreach'),
			type: 'select',
			options: FORMATS,
			value: 'standard',
		},
	]);
	const events = eventBoxes();
	const fresh = h('div', { className: 'ao-webhook-fresh' });
	const list = h('ul', { className: 'ao-webhooks' });
	const reload = () =>
		get('/webhooks')
			.then((hooks) => {
				clear(list);
				hooks.forEach((hook) =>
					list.appendChild(endpointRow(hook, host, reload))
				);
			})
			.catch((error) => showError(host, error));
	const add = () => {
		clearError(host);
		clear(fresh);
		const body = {
			url: fields.url.control.value.trim(),
			format: fields.format.control.value,
			events: events.checked(),
		};
		return post('/webhooks', body).then(
			(made) => {
				fields.url.control.value = '';
				fresh.appendChild(secretBox(made.secret));
				return reload();
			},
			(error) => showError(host, error)
		);
	};
	host.body.append(...nodes, events, fresh, list);
	reload();
	return button(
		__('Add endpoint', 'almaseo-outreach'),
		add,
		'button-primary ao-webhook-add'
	);
}
