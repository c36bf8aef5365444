/**
 * The Import dialog's column mapping: which field each CSV column fills, shown over the
 * file's first rows, and the header row that carries the person's choice to the service.
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { CARD_FIELDS } from '../card/card-fields.js';
import { cells, record } from './csv.js';

// The fields a column can fill, as the service names them in a header row.
const FIELDS = [
	['', __('Ignore this column', 'almaseo-outreach')],
	['source_url', CARD_FIELDS.source_url.label],
	['source domain', __('Source domain', 'almaseo-outreach')],
	...[
		'target_url',
		'anchor_text',
		'contact_email',
		'contact_name',
		'notes',
	].map((name) => [name, CARD_FIELDS[name].label]),
	['status', __('Column (status)', 'almaseo-outreach')],
	['lost_link', __('Lost link', 'almaseo-outreach')],
	// SEO metrics (docs/api.md §20).
	['dr', __('Domain rating / authority (DR, AS, DA)', 'almaseo-outreach')],
	['traffic', __('Organic traffic', 'almaseo-outreach')],
	['referring_domains', __('Referring domains', 'almaseo-outreach')],
	['url_rating', __('URL rating', 'almaseo-outreach')],
	['spam_score', __('Spam score', 'almaseo-outreach')],
	['metrics_source', __('Metrics source', 'almaseo-outreach')],
];
const PREVIEW_ROWS = 5;

function headerCell(name, index, detected, selects) {
	const select = h(
		'select',
		{
			className: 'ao-map',
			dataset: { column: String(index) },
			'aria-label': sprintf(
				/* translators: %s: a CSV column header */
				__('Field for column %s', 'almaseo-outreach'),
				name
			),
		},
		FIELDS.map(([value, label]) => h('option', { value, text: label }))
	);
	// Keys are the service's header names (trimmed), not in column order.
	select.value = detected[name.trim() || 'column ' + (index + 1)] || '';
	// Why: a column left as detected keeps its own name ("Domain rating" names Ahrefs as
	// the metrics' source; "Domain" fills the page from a domain).
	select.dataset.detected = select.value;
	select.dataset.header = name;
	selects.push(select);
	return h('th', {}, [h('div', { text: name }), select]);
}

/**
 * The mapping table: a field chooser per column over the first rows.
 *
 * @param {Object}        file     { header, rows, sep } of the chosen file.
 * @param {Object}        detected The service's `columns` ({header: field or null}).
 * @param {Array<Object>} selects  Filled with the column choosers, in column order.
 * @return {window.HTMLElement} The table.
 */
export function mappingTable(file, detected, selects) {
	const header = cells(file.header.text, file.sep);
	const preview = file.rows
		.filter((r) => !r.blank)
		.slice(0, PREVIEW_ROWS)
		.map((r) => cells(r.text, file.sep));
	return h('table', { className: 'widefat striped ao-import-mapping' }, [
		h('thead', {}, [
			h(
				'tr',
				{},
				header.map((name, i) => headerCell(name, i, detected, selects))
			),
		]),
		h(
			'tbody',
			{},
			preview.map((row) =>
				h(
					'tr',
					{},
					header.map((_, i) => h('td', { text: row[i] || '' }))
				)
			)
		),
	]);
}

/**
 * The header row naming each column's chosen field (the service reads names only): a
 * column the person left as the service detected it keeps its own header name.
 *
 * @param {Array<Object>} selects Column choosers.
 * @param {string}        sep     The file's delimiter.
 * @return {string} Header record.
 */
export function rewrittenHeader(selects, sep) {
	const named = (s, i) => {
		if (!s.value) {
			return 'ignored column ' + (i + 1);
		}
		return s.value === s.dataset.detected && s.dataset.header.trim()
			? s.dataset.header
			: s.value;
	};
	return record(selects.map(named), sep);
}

/**
 * The failed rows as CSV: line, reason, then the row's own cells.
 *
 * @param {Object}        file   The chosen file.
 * @param {Array<Object>} errors The service's errors ({line, message}).
 * @return {string} CSV text.
 */
export function failedRows(file, errors) {
	const byLine = new Map(file.rows.map((r) => [r.line, r]));
	const header = cells(file.header.text, file.sep);
	let text = record(['line', 'error', ...header]);
	errors.forEach((e) => {
		const row = byLine.get(e.line);
		text += record([
			String(e.line),
			e.message,
			...(row ? cells(row.text, file.sep) : []),
		]);
	});
	return text;
}
