/**
 * Sender domains in the Sending settings dialog: domains beyond the site's own that the
 * From email may use once a DNS TXT record proves them (docs/api.md §20). Add one, copy
 * the record it answers into the domain's DNS, then Verify.
 */
import { __, sprintf } from '../common/i18n.js';
import { get, post, del } from '../common/api.js';
import { h, clear } from '../common/dom.js';
import { notice } from '../common/notices.js';
import { button, input, description } from '../common/controls.js';
import { showError, clearError } from '../common/modal.js';

const STATUS = {
	pending: __('waiting for its DNS record', 'almaseo-outreach'),
	verified: __('verified', 'almaseo-outreach'),
};

/**
 * The TXT record a pending domain needs, as text a person can select and copy.
 *
 * @param {Object} domain The service's entry.
 * @return {window.HTMLElement} The record.
 */
function record(domain) {
	return h('dl', { className: 'ao-sender-domain-record' }, [
		h('dt', { text: __('TXT record name', 'almaseo-outreach') }),
		h('dd', {}, [h('code', { text: domain.txt_name })]),
		h('dt', { text: __('Value', 'almaseo-outreach') }),
		h('dd', {}, [h('code', { text: domain.txt_value })]),
	]);
}

/**
 * Look the record up now; say what was found.
 *
 * @param {Object}   host   Handles of the dialog.
 * @param {Object}   domain The entry.
 * @param {Function} reload Re-reads the list.
 * @return {Promise} Done.
 */
function verify(host, domain, reload) {
	clearError(host);
	return post('/sender-domains/' + domain.id + '/verify')
		.then((checked) => {
			if (checked.status === 'verified') {
				notice(
					sprintf(
						/* translators: %s: a domain name */
						__('%s is verified.', 'almaseo-outreach'),
						checked.domain
					),
					'success'
				);
			} else {
				showError(host, { message: checked.problem, fields: {} });
			}
			return reload();
		})
		.catch((error) => showError(host, error));
}

function domainRow(host, domain, reload) {
	const remove = () =>
		del('/sender-domains/' + domain.id)
			.then(reload)
			.catch((error) => showError(host, error));
	return h(
		'li',
		{ className: 'ao-sender-domain', dataset: { id: domain.id } },
		[
			h('strong', {
				className: 'ao-sender-domain-name',
				text: domain.domain,
			}),
			' — ',
			h('span', {
				className: 'ao-sender-domain-status is-' + domain.status,
				text: STATUS[domain.status] || domain.status,
			}),
			' ',
			domain.status === 'pending'
				? button(
						__('Verify', 'almaseo-outreach'),
						() => verify(host, domain, reload),
						'button-secondary ao-sender-domain-verify'
					)
				: null,
			' ',
			button(
				__('Remove', 'almaseo-outreach'),
				remove,
				'button-link ao-sender-domain-remove'
			),
			domain.status === 'pending' ? record(domain) : null,
		]
	);
}

/**
 * The section's nodes: its heading, help, list and the field to add a domain.
 *
 * @param {Object} host Handles { dialog, body, error } of the Sending settings dialog.
 * @return {window.HTMLElement} The section.
 */
export function senderDomains(host) {
	const list = h('ul', { className: 'ao-sender-domain-list' });
	const field = input('text', '', {
		className: 'ao-sender-domain-new',
		'aria-label': __('Domain to send from', 'almaseo-outreach'),
		placeholder: 'mail.example.org',
	});
	const reload = () =>
		get('/sender-domains')
			.then((domains) => {
				clear(list);
				domains.forEach((d) =>
					list.appendChild(domainRow(host, d, reload))
				);
			})
			.catch((error) => showError(host, error));
	const add = () => {
		clearError(host);
		return post('/sender-domains', { domain: field.value.trim() })
			.then(() => {
				field.value = '';
				return reload();
			})
			.catch((error) => showError(host, error));
	};
	reload();
	return h('fieldset', { className: 'ao-sender-domains' }, [
		h('legend', { text: __('Sender domains', 'almaseo-outreach') }),
		description(
			__(
				'Your site’s own domain and its subdomains can always be used. To send from another domain, add it here, publish the TXT record shown in its DNS, then verify it.',
				'almaseo-outreach'
			)
		),
		list,
		h('p', {}, [
			field,
			' ',
			button(
				__('Add domain', 'almaseo-outreach'),
				add,
				'ao-sender-domain-add'
			),
		]),
	]);
}
