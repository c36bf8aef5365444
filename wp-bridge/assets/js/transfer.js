/**
 * Import a CSV file (mapping, dry run, sliced upload with progress, failed rows) and
 * export the board as CSV (respecting the search filter).
 */
import { __, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { config } from './config.js';
import { normalise } from './api.js';
import {
	modal as openModal,
	field,
	button,
	showError,
	clearError,
} from './modal.js';
import { state } from './state.js';
import { refresh } from './sync.js';
import {
	decode,
	records,
	delimiter,
	cells,
	record,
	slices,
} from './csvfile.js';

const FIELDS = [
	['', __('Ignore this column', 'almaseo-outreach')],
	['source_url', __('Source URL', 'almaseo-outreach')],
	['source domain', __('Source domain', 'almaseo-outreach')],
	['target_url', __('Target URL', 'almaseo-outreach')],
	['anchor_text', __('Anchor text', 'almaseo-outreach')],
	['contact_email', __('Contact email', 'almaseo-outreach')],
	['contact_name', __('Contact name', 'almaseo-outreach')],
	['notes', __('Notes', 'almaseo-outreach')],
	['status', __('Column (status)', 'almaseo-outreach')],
	['lost_link', __('Lost link', 'almaseo-outreach')],
];
const PREVIEW_ROWS = 5;

/**
 * POST one slice of CSV text to the import route.
 *
 * @param {string} body  CSV text.
 * @param {Object} query Query options.
 * @return {Promise<Object>} The service's answer.
 */
function send(body, query) {
	const params = new window.URLSearchParams(query).toString();
	return window.wp
		.apiFetch({
			path: config.namespace + '/opportunities/import?' + params,
			method: 'POST',
			body,
			headers: { 'Content-Type': 'text/csv' },
			parse: false,
		})
		.then(
			(response) => response.json(),
			(response) => {
				if (response && typeof response.json === 'function') {
					return response.json().then(
						(data) => {
							throw normalise(response.status, data);
						},
						() => {
							throw normalise(response.status, null);
						}
					);
				}
				throw normalise(0, null);
			}
		);
}

function download(name, text) {
	const url = window.URL.createObjectURL(
		new window.Blob([text], { type: 'text/csv' })
	);
	const link = h('a', { href: url, download: name, hidden: true });
	document.body.appendChild(link);
	link.click();
	link.remove();
	window.setTimeout(() => window.URL.revokeObjectURL(url), 1000);
}

/** The Export button: the cards matching the current search, as a CSV download. */
export function exportBoard() {
	const query = state.query.trim();
	return window.wp
		.apiFetch({
			path:
				config.namespace +
				'/opportunities/export' +
				(query ? '?q=' + encodeURIComponent(query) : ''),
		})
		.then((answer) => download('opportunities.csv', answer.csv));
}

function mappingTable(file, detected, selects) {
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
				header.map((name, i) => {
					const select = h(
						'select',
						{
							className: 'ao-map',
							dataset: { column: String(i) },
							'aria-label': sprintf(
								/* translators: %s: a CSV column header */
								__('Field for column %s', 'almaseo-outreach'),
								name
							),
						},
						FIELDS.map(([value, label]) =>
							h('option', { value, text: label })
						)
					);
					// Keys are the service's header names (trimmed), not in column order.
					select.value =
						detected[name.trim() || 'column ' + (i + 1)] || '';
					selects.push(select);
					return h('th', {}, [h('div', { text: name }), select]);
				})
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

function rewrittenHeader(selects, sep) {
	// Why: the chosen mapping travels as the header's names, which the service reads.
	return record(
		selects.map((s, i) => s.value || 'ignored column ' + (i + 1)),
		sep
	);
}

function failedRows(file, errors) {
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

/** The Import dialog. */
export function importDialog() {
	const dialog = openModal(__('Import CSV', 'almaseo-outreach'), 'import');
	const input = h('input', {
		type: 'file',
		accept: '.csv,.tsv,.txt,text/csv',
	});
	const onDuplicate = h('select', {}, [
		h('option', {
			value: 'skip',
			text: __('Skip rows already on the board', 'almaseo-outreach'),
		}),
		h('option', {
			value: 'update',
			text: __('Update those cards', 'almaseo-outreach'),
		}),
	]);
	const mapping = h('div', { className: 'ao-import-preview' });
	const progress = h('progress', {
		className: 'ao-import-progress',
		max: '100',
		value: '0',
		hidden: true,
	});
	const summary = h('div', {
		className: 'ao-import-summary',
		role: 'status',
	});
	const run = { file: null, selects: [], cancelled: false, busy: false };
	dialog.body.append(
		field(__('CSV file', 'almaseo-outreach'), 'file', input),
		field(
			__('Duplicates', 'almaseo-outreach'),
			'on_duplicate',
			onDuplicate
		),
		mapping,
		progress,
		summary
	);
	const dryButton = button(
		__('Dry run', 'almaseo-outreach'),
		() => go(true),
		'ao-import-dry'
	);
	const importButton = button(
		__('Import', 'almaseo-outreach'),
		() => go(false),
		'button-primary ao-import-start'
	);
	const cancelButton = button(
		__('Cancel', 'almaseo-outreach'),
		() => {
			run.cancelled = true;
		},
		'ao-import-cancel'
	);
	dryButton.disabled = importButton.disabled = true;
	cancelButton.hidden = true;
	dialog.footer.append(dryButton, importButton, cancelButton);

	input.addEventListener('change', () => {
		clearError(dialog);
		clear(mapping);
		clear(summary);
		const chosen = input.files[0];
		if (!chosen) {
			return;
		}
		chosen.arrayBuffer().then((buffer) => {
			const all = records(decode(buffer));
			const at = all.findIndex((r) => !r.blank);
			if (at < 0) {
				showError(dialog, {
					message: __('The file is empty.', 'almaseo-outreach'),
				});
				return;
			}
			const header = all[at];
			run.file = {
				header,
				rows: all.slice(at + 1),
				sep: delimiter(header.text),
			};
			// Why: the service names the columns it recognises; ask it with a dry run of
			// the first slice rather than keeping a second copy of its name table here.
			const first = slices(header.text, run.file.rows)[0];
			const show = (detected) => {
				run.selects = [];
				mapping.appendChild(
					mappingTable(run.file, detected, run.selects)
				);
				dryButton.disabled = importButton.disabled = false;
			};
			send(first ? first.body : header.text, { dry_run: 'true' })
				.then((answer) => show(answer.columns))
				.catch((error) => {
					showError(dialog, error);
					show({}); // nothing recognised: the person maps the columns
				});
		});
	});

	function go(dry) {
		if (run.busy || !run.file) {
			return;
		}
		clearError(dialog);
		clear(summary);
		run.busy = true;
		run.cancelled = false;
		const parts = slices(
			rewrittenHeader(run.selects, run.file.sep),
			run.file.rows
		);
		const total = parts.reduce((n, p) => n + p.rows, 0) || 1;
		const sum = { created: 0, updated: 0, skipped: 0, errors: [] };
		let done = 0;
		progress.hidden = false;
		progress.value = 0;
		cancelButton.hidden = dry;
		dryButton.disabled = importButton.disabled = true;
		const next = (index) => {
			if (index >= parts.length || run.cancelled) {
				return Promise.resolve();
			}
			const part = parts[index];
			return send(part.body, {
				dry_run: dry ? 'true' : 'false',
				on_duplicate: onDuplicate.value,
				line_offset: String(part.lineOffset),
			}).then((answer) => {
				sum.created += answer.created;
				sum.updated += answer.updated;
				sum.skipped += answer.skipped;
				sum.errors.push(...answer.errors);
				done += part.rows;
				progress.value = Math.round((done / total) * 100);
				return next(index + 1);
			});
		};
		next(0)
			.catch((error) => showError(dialog, error))
			.then(() => {
				run.busy = false;
				cancelButton.hidden = true;
				dryButton.disabled = importButton.disabled = false;
				showSummary(dry, sum);
				if (!dry) {
					refresh(true);
				}
			});
	}

	function showSummary(dry, sum) {
		const { created, updated, skipped } = sum;
		const failed = sum.errors.length;
		const line = dry
			? sprintf(
					/* translators: 1: created, 2: updated, 3: skipped, 4: failed */
					__(
						'Dry run: %1$d would be created, %2$d updated, %3$d skipped, %4$d failed.',
						'almaseo-outreach'
					),
					created,
					updated,
					skipped,
					failed
				)
			: sprintf(
					/* translators: 1: created, 2: updated, 3: skipped, 4: failed */
					__(
						'%1$d created, %2$d updated, %3$d skipped, %4$d failed.',
						'almaseo-outreach'
					),
					created,
					updated,
					skipped,
					failed
				);
		summary.appendChild(
			h('p', { className: 'ao-import-counts', text: line })
		);
		if (run.cancelled) {
			summary.appendChild(
				h('p', {
					text: __(
						'Cancelled: the rows after the last finished slice were not sent.',
						'almaseo-outreach'
					),
				})
			);
		}
		if (sum.errors.length) {
			summary.appendChild(
				button(
					__('Download the failed rows', 'almaseo-outreach'),
					() =>
						download(
							'failed-rows.csv',
							failedRows(run.file, sum.errors)
						),
					'ao-import-failed'
				)
			);
		}
	}
}
