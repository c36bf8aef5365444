/**
 * The do-not-contact list (outreach.settings): why each entry is there, add one or paste
 * many, remove one. A domain also blocks its subdomains.
 */
import { __, _n, sprintf } from '../common/i18n.js';
import { get, post, del } from '../common/api.js';
import { h, clear } from '../common/dom.js';
import { DNC_REASONS } from '../common/labels.js';
import { notice } from '../common/notices.js';
import { can } from '../common/config.js';
import { button, input } from '../common/controls.js';
import { form } from '../common/form.js';
import { modal, showError, clearError, footer } from '../common/modal.js';

function entryRow(entry, reload) {
	const why = DNC_REASONS[entry.reason] || entry.reason;
	const kind =
		entry.kind === 'domain'
			? __('domain and its subdomains', 'almaseo-outreach')
			: __('address', 'almaseo-outreach');
	return h('li', { className: 'ao-dnc-entry', dataset: { id: entry.id } }, [
		h('strong', { className: 'ao-dnc-value', text: entry.value }),
		' ',
		h('span', { className: 'ao-dnc-kind', text: '(' + kind + ')' }),
		' — ',
		h('span', { className: 'ao-dnc-reason', text: why }),
		entry.note
			? h('span', { className: 'ao-dnc-note', text: ': ' + entry.note })
			: null,
		' ',
		button(
			__('Remove', 'almaseo-outreach'),
			() =>
				del('/suppressions/' + entry.id).then(() => {
					notice(
						sprintf(
							/* translators: %s: an address or a domain */
							__(
								'%s can be contacted again.',
								'almaseo-outreach'
							),
							entry.value
						),
						'success'
					);
					return reload();
				}),
			'button-link ao-dnc-remove'
		),
	]);
}

/**
 * Add each pasted value in turn; the ones refused stay in the box with the reasons.
 *
 * @param {Object} dialog Handles of the host (a dialog or a screen's section).
 * @param {Object} fields The value and note fields.
 * @return {Promise} Done.
 */
function addAll(dialog, fields) {
	clearError(dialog);
	const values = fields.value.control.value
		.split(/[\s,;]+/)
		.filter((v) => v !== '');
	const note = fields.note.control.value.trim() || null;
	const refused = [];
	const reasons = [];
	return values
		.reduce(
			(chain, value) =>
				chain.then(() =>
					post('/suppressions', { value, note }).catch((error) => {
						refused.push(value);
						reasons.push(error.message);
					})
				),
			Promise.resolve()
		)
		.then(() => {
			fields.value.control.value = refused.join('\n');
			if (reasons.length) {
				showError(dialog, { message: reasons.join(' '), fields: {} });
			}
		});
}

/**
 * The list's controls in a host (a dialog or a screen's section): the fields, the search,
 * the entries; returns the "Add to the list" button for the host's footer.
 *
 * @param {Object} host Handles { dialog, body, error }.
 * @return {window.HTMLElement} The add button.
 */
export function doNotContact(host) {
	const { fields, nodes } = form('Suppression', [
		{
			name: 'value',
			label: __('Addresses or domains, one per line', 'almaseo-outreach'),
			type: 'textarea',
			rows: 3,
			schema: false, // many values, one a line: each is checked by the service
			attrs: { placeholder: 'name@example.com\nexample.org' },
			help: __(
				'A domain also blocks every address at its subdomains.',
				'almaseo-outreach'
			),
		},
		{
			name: 'note',
			label: __('Note (why)', 'almaseo-outreach'),
			type: 'text',
		},
	]);
	const search = input('search', '', {
		className: 'ao-dnc-search',
		'aria-label': __('Search the list', 'almaseo-outreach'),
		placeholder: __('Search…', 'almaseo-outreach'),
	});
	const total = h('p', { className: 'ao-dnc-total' });
	const list = h('ul', { className: 'ao-dnc-list' });
	// Only the latest search's answer is shown: on a slow service the first load (no
	// search) could otherwise land after a search's and replace it.
	let latest = 0;
	const reload = () => {
		const asked = ++latest;
		return get('/suppressions', { q: search.value.trim(), page_size: 200 })
			.then((page) => {
				if (asked !== latest) {
					return;
				}
				clear(list);
				page.items.forEach((e) =>
					list.appendChild(entryRow(e, reload))
				);
				total.textContent = sprintf(
					/* translators: %d: number of entries */
					_n(
						'%d entry on the list.',
						'%d entries on the list.',
						page.total,
						'almaseo-outreach'
					),
					page.total
				);
			})
			.catch((error) => showError(host, error));
	};
	search.addEventListener('input', reload);
	host.body.append(...nodes, search, total, list);
	reload();
	return button(
		__('Add to the list', 'almaseo-outreach'),
		() => addAll(host, fields).then(reload),
		'button-primary ao-dnc-add'
	);
}

/**
 * The entry that keeps an address from being emailed, if the list has one: the address
 * itself, or its domain or a parent domain (a domain covers its subdomains). Only a
 * warning ahead of a send (the service refuses the send anyway, saying why); it needs
 * `settings`, which reads the list.
 *
 * @param {string} address An email address.
 * @return {Promise<Object|null>} { value, kind, reason, note } or null.
 */
export function listedFor(address) {
	const at = address.lastIndexOf('@');
	if (!can('settings') || at < 1) {
		return Promise.resolve(null);
	}
	const labels = address.slice(at + 1).split('.');
	const wanted = [address];
	for (let i = 0; i < labels.length - 1; i++) {
		wanted.push(labels.slice(i).join('.'));
	}
	return Promise.all(
		wanted.map((value) =>
			get('/suppressions', { q: value, page_size: 20 }).then(
				(page) =>
					page.items.find(
						(e) =>
							e.value === value &&
							(value === address || e.kind === 'domain')
					) || null,
				() => null
			)
		)
	).then((found) => found.find(Boolean) || null);
}

/** The Do not contact dialog (from the board's toolbar). */
export function doNotContactDialog() {
	const dialog = modal(
		__('Do not contact', 'almaseo-outreach'),
		'suppressions'
	);
	footer(dialog, [doNotContact(dialog)], __('Close', 'almaseo-outreach'));
}
