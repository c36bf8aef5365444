/**
 * The Mailboxes screen (outreach.settings, docs/api.md §15): each mailbox with its status
 * and last error, today's sends against today's cap and the ramp, with Test (the servers'
 * own words), Edit, Pause or Resume and Delete; "Connect with Google / Microsoft" where
 * the service has those OAuth clients.
 */
import { __, sprintf } from '../common/i18n.js';
import { get, post, patch, del } from '../common/api.js';
import { config } from '../common/config.js';
import { h, clear } from '../common/dom.js';
import { notice } from '../common/notices.js';
import { button } from '../common/controls.js';
import { ask } from '../common/confirm.js';
import { when } from '../common/format.js';
import { showError, clearError } from '../common/modal.js';
import { mailboxDialog } from './mailbox-dialog.js';

const STATUS = {
	active: __('Active', 'almaseo-outreach'),
	paused: __('Paused', 'almaseo-outreach'),
	error: __('Error', 'almaseo-outreach'),
};

function facts(box) {
	const today = sprintf(
		/* translators: 1: emails sent today, 2: today's cap */
		__('Today: %1$d of %2$d sent', 'almaseo-outreach'),
		box.sent_today,
		box.cap_today
	);
	const ramp = sprintf(
		/* translators: 1: emails on the first day, 2: more each day, 3: daily limit */
		__(
			'Ramp: %1$d on the first day, %2$d more each day, up to %3$d',
			'almaseo-outreach'
		),
		box.ramp.start,
		box.ramp.step,
		box.daily_limit
	);
	const servers =
		'SMTP ' +
		box.smtp.host +
		':' +
		box.smtp.port +
		' · IMAP ' +
		box.imap.host +
		':' +
		box.imap.port;
	return [
		h('p', { className: 'ao-mailbox-today', text: today }),
		h('p', { className: 'ao-mailbox-ramp description', text: ramp }),
		h('p', { className: 'ao-mailbox-servers description', text: servers }),
	];
}

function lastError(box) {
	if (!box.last_error) {
		return null;
	}
	const at = box.last_error_at ? ' (' + when(box.last_error_at) + ')' : '';
	return h('p', { className: 'ao-mailbox-error', text: box.last_error + at });
}

/**
 * A real login on both servers; their answers as they gave them.
 *
 * @param {Object}             box    The mailbox.
 * @param {window.HTMLElement} result Where to say how it went.
 * @param {Function}           reload Draws the list again (the status may change).
 * @return {Promise} Done.
 */
function runTest(box, result, reload) {
	clear(result).appendChild(
		h('li', { text: __('Logging in…', 'almaseo-outreach') })
	);
	return post('/mailboxes/' + box.id + '/test').then((answer) => {
		clear(result);
		[
			['smtp', 'SMTP'],
			['imap', 'IMAP'],
		].forEach(([side, name]) => {
			const ok = answer[side] === 'ok';
			result.appendChild(
				h('li', {
					className: 'ao-mailbox-test-' + side,
					dataset: { ok: ok ? '1' : '0' },
					text:
						name +
						': ' +
						(ok
							? __('login works', 'almaseo-outreach')
							: answer[side]),
				})
			);
		});
		return reload(box.id, result);
	});
}

function actions(box, host, reload) {
	const result = h('ul', { className: 'ao-mailbox-test' });
	const fail = (error) => showError(host, error);
	const pause = () =>
		patch('/mailboxes/' + box.id, {
			status: box.status === 'paused' ? 'active' : 'paused',
		}).then(() => reload(), fail);
	const remove = () =>
		ask(host, {
			text: sprintf(
				/* translators: %s: the mailbox's address */
				__(
					'Delete the mailbox %s? Its emails stay in the history.',
					'almaseo-outreach'
				),
				box.email
			),
			yes: __('Delete', 'almaseo-outreach'),
			no: __('Keep it', 'almaseo-outreach'),
			then: () => del('/mailboxes/' + box.id).then(() => reload(), fail),
		});
	const row = h('p', { className: 'ao-mailbox-actions' }, [
		button(
			__('Test', 'almaseo-outreach'),
			() => runTest(box, result, reload).catch(fail),
			'ao-mailbox-test-button'
		),
		' ',
		button(
			__('Edit', 'almaseo-outreach'),
			() => mailboxDialog(box, () => reload()),
			'ao-mailbox-edit'
		),
		' ',
		button(
			box.status === 'paused'
				? __('Resume', 'almaseo-outreach')
				: __('Pause', 'almaseo-outreach'),
			pause,
			'ao-mailbox-pause'
		),
		' ',
		button(
			__('Delete', 'almaseo-outreach'),
			remove,
			'button-link-delete ao-mailbox-delete'
		),
	]);
	return [row, result];
}

function mailboxRow(box, host, reload) {
	const fresh = new URLSearchParams(window.location.search).get('mailbox');
	return h(
		'li',
		{
			className:
				'ao-mailbox' + (String(box.id) === fresh ? ' is-new' : ''),
			dataset: { id: box.id, status: box.status },
		},
		[
			h('strong', { className: 'ao-mailbox-email', text: box.email }),
			box.from_name ? ' — ' + box.from_name : '',
			' ',
			h('span', {
				className: 'ao-badge ao-mailbox-status',
				text: STATUS[box.status] || box.status,
			}),
			lastError(box),
			...facts(box),
			...actions(box, host, reload),
		]
	);
}

/**
 * "Connect with …" for each provider the service has a client for, and the redirect URI
 * to register with them.
 *
 * @param {string[]} providers The site's `oauth_providers`.
 * @return {window.HTMLElement|null} The buttons, or null when there are none.
 */
function connectButtons(providers) {
	const oauth = config.mailboxOAuth;
	if (!oauth || !providers || !providers.length) {
		return null;
	}
	const names = {
		google: __('Connect with Google', 'almaseo-outreach'),
		microsoft: __('Connect with Microsoft', 'almaseo-outreach'),
	};
	const links = providers
		.filter((p) => names[p])
		.map((p) =>
			h('a', {
				className: 'button ao-mailbox-connect-' + p,
				href: oauth.start + '&provider=' + encodeURIComponent(p),
				text: names[p],
			})
		);
	return h('div', { className: 'ao-mailbox-connect' }, [
		h(
			'p',
			{},
			links.flatMap((link) => [link, ' '])
		),
		h('p', { className: 'description' }, [
			__(
				'Redirect URI to register with the provider:',
				'almaseo-outreach'
			) + ' ',
			h('code', { text: oauth.redirect }),
		]),
	]);
}

/**
 * Fill the screen's section: the Connect buttons and the list; returns "Add mailbox"
 * for its footer.
 *
 * @param {Object} host Handles { dialog, body, error, footer }.
 * @return {window.HTMLElement} The add button.
 */
export function mailboxesScreen(host) {
	const connect = h('div', { className: 'ao-mailbox-connect-slot' });
	const list = h('ul', { className: 'ao-mailboxes' });
	// A test's result stays under its mailbox when the list is drawn again.
	const reload = (keptId, kept) =>
		get('/mailboxes')
			.then((boxes) => {
				clearError(host);
				clear(list);
				if (!boxes.length) {
					list.appendChild(
						h('li', {
							className: 'ao-mailboxes-empty',
							text: __(
								'No mailbox yet: the site sends through SendGrid.',
								'almaseo-outreach'
							),
						})
					);
				}
				boxes.forEach((box) => {
					const row = mailboxRow(box, host, reload);
					if (box.id === keptId && kept) {
						row.querySelector('.ao-mailbox-test').replaceWith(kept);
					}
					list.appendChild(row);
				});
			})
			.catch((error) => showError(host, error));
	get('/site')
		.then((site) => {
			const buttons = connectButtons(site.oauth_providers);
			if (buttons) {
				connect.appendChild(buttons);
			}
		})
		.catch((error) => showError(host, error));
	host.body.append(connect, list);
	reload();
	return button(
		__('Add mailbox', 'almaseo-outreach'),
		() =>
			mailboxDialog(null, (made) => {
				notice(
					sprintf(
						/* translators: %s: the mailbox's address */
						__(
							'Press Test to check %s can log in.',
							'almaseo-outreach'
						),
						made.email
					),
					'info'
				);
				return reload();
			}),
		'button-primary ao-mailbox-add'
	);
}
