/**
 * The Import dialog (full height): mapping, dry run, sliced upload with progress, cancel,
 * failed rows. The results sit in the footer beside the buttons, skipped rows counted per
 * reason and, when cards are updated, unchanged rows apart from skipped ones.
 */
import { __, sprintf } from '../common/i18n.js';
import { labelFor, normalise } from '../common/api.js';
import { h, clear } from '../common/dom.js';
import { config } from '../common/config.js';
import { button, field } from '../common/controls.js';
import { modal, showError, clearError } from '../common/modal.js';
import { refresh } from '../common/sync.js';
import { decode, records, delimiter, slices } from './csv.js';
import { mappingTable, rewrittenHeader, failedRows } from './mapping.js';
import { download } from './export.js';
import { projectChoice } from '../board/project-picker.js';

/**
 * POST one slice of CSV text to the import route.
 *
 * @param {string} body  CSV text.
 * @param {Object} query Query options.
 * @return {Promise<Object>} The service's answer, or a rejected normalised error.
 */
function send(body, query) {
	const failed = (response) => {
		if (!response || typeof response.json !== 'function') {
			throw normalise(0, null);
		}
		return response.json().then(
			(data) => {
				throw normalise(response.status, data);
			},
			() => {
				throw normalise(response.status, null);
			}
		);
	};
	return window.wp
		.apiFetch({
			path:
				config.namespace +
				'/opportunities/import?' +
				new window.URLSearchParams(query).toString(),
			method: 'POST',
			body,
			headers: { 'Content-Type': 'text/csv' },
			parse: false,
		})
		.then((response) => response.json(), failed);
}

function controls(dialog) {
	const ui = {
		dialog,
		input: h('input', {
			type: 'file',
			accept: '.csv,.tsv,.txt,text/csv',
		}),
		project: projectChoice(__('No project', 'almaseo-outreach')),
		onDuplicate: h('select', {}, [
			h('option', {
				value: 'skip',
				text: __('Skip rows already on the board', 'almaseo-outreach'),
			}),
			h('option', {
				value: 'update',
				text: __('Update those cards', 'almaseo-outreach'),
			}),
		]),
		mapping: h('div', { className: 'ao-import-preview' }),
		progress: h('progress', {
			className: 'ao-import-progress',
			max: '100',
			value: '0',
			hidden: true,
		}),
		summary: h('div', { className: 'ao-import-summary', role: 'status' }),
		file: null,
		selects: [],
		cancelled: false,
		busy: false,
	};
	ui.dry = button(
		__('Dry run', 'almaseo-outreach'),
		() => go(ui, true),
		'ao-import-dry'
	);
	ui.start = button(
		__('Import', 'almaseo-outreach'),
		() => go(ui, false),
		'button-primary ao-import-start'
	);
	ui.cancel = button(
		__('Cancel', 'almaseo-outreach'),
		() => (ui.cancelled = true),
		'ao-import-cancel'
	);
	return ui;
}

function ready(ui, yes) {
	ui.dry.disabled = ui.start.disabled = !yes;
}

function chooseFile(ui) {
	clearError(ui.dialog);
	clear(ui.mapping);
	clear(ui.summary);
	const chosen = ui.input.files[0];
	if (!chosen) {
		return;
	}
	chosen.arrayBuffer().then((buffer) => {
		const all = records(decode(buffer));
		const at = all.findIndex((r) => !r.blank);
		if (at < 0) {
			showError(ui.dialog, {
				message: __('The file is empty.', 'almaseo-outreach'),
			});
			return;
		}
		const header = all[at];
		ui.file = {
			header,
			rows: all.slice(at + 1),
			sep: delimiter(header.text),
		};
		const show = (detected) => {
			ui.selects = [];
			ui.mapping.appendChild(mappingTable(ui.file, detected, ui.selects));
			ready(ui, true);
		};
		// Why: the service names the columns it recognises; ask it with a dry run of the
		// first slice rather than keeping a second copy of its name table here.
		const first = slices(header.text, ui.file.rows)[0];
		send(first ? first.body : header.text, { dry_run: 'true' })
			.then((answer) => show(answer.columns))
			.catch((error) => {
				showError(ui.dialog, error);
				show({}); // nothing recognised: the person maps the columns
			});
	});
}

function sendAll(ui, parts, dry, sum) {
	const total = parts.reduce((n, p) => n + p.rows, 0) || 1;
	let done = 0;
	const next = (index) => {
		if (index >= parts.length || ui.cancelled) {
			return Promise.resolve();
		}
		const part = parts[index];
		const query = {
			dry_run: dry ? 'true' : 'false',
			on_duplicate: ui.onDuplicate.value,
			line_offset: String(part.lineOffset),
		};
		if (ui.project.value) {
			query.project_id = ui.project.value; // every row's card (docs/api.md §19)
		}
		return send(part.body, query).then((answer) => {
			sum.created += answer.created;
			sum.updated += answer.updated;
			sum.skipped += answer.skipped;
			sum.errors.push(...answer.errors);
			Object.entries(answer.skipped_reasons || {}).forEach(([why, n]) => {
				sum.reasons[why] = (sum.reasons[why] || 0) + n;
			});
			done += part.rows;
			ui.progress.value = Math.round((done / total) * 100);
			return next(index + 1);
		});
	};
	return next(0);
}

function go(ui, dry) {
	if (ui.busy || !ui.file) {
		return;
	}
	clearError(ui.dialog);
	clear(ui.summary);
	Object.assign(ui, { busy: true, cancelled: false });
	const parts = slices(
		rewrittenHeader(ui.selects, ui.file.sep),
		ui.file.rows
	);
	const sum = { created: 0, updated: 0, skipped: 0, errors: [], reasons: {} };
	ui.progress.hidden = false;
	ui.progress.value = 0;
	ui.cancel.hidden = dry;
	ready(ui, false);
	sendAll(ui, parts, dry, sum)
		.catch((error) => showError(ui.dialog, error))
		.then(() => {
			ui.busy = false;
			ui.cancel.hidden = true;
			ready(ui, true);
			showSummary(ui, dry, sum);
			if (!dry) {
				refresh(true);
			}
		});
}

function countsLine(dry, sum) {
	const { created, updated, skipped, errors } = sum;
	const unchanged = sum.reasons.unchanged || 0;
	if (unchanged) {
		const rest = [updated, unchanged, skipped - unchanged, errors.length];
		return dry
			? sprintf(
					/* translators: 1: created, 2: updated, 3: unchanged, 4: skipped, 5: failed */
					__(
						'Dry run: %1$d would be created, %2$d updated, %3$d unchanged, %4$d skipped, %5$d failed.',
						'almaseo-outreach'
					),
					created,
					...rest
				)
			: sprintf(
					/* translators: 1: created, 2: updated, 3: unchanged, 4: skipped, 5: failed */
					__(
						'%1$d created, %2$d updated, %3$d unchanged, %4$d skipped, %5$d failed.',
						'almaseo-outreach'
					),
					created,
					...rest
				);
	}
	return dry
		? sprintf(
				/* translators: 1: created, 2: updated, 3: skipped, 4: failed */
				__(
					'Dry run: %1$d would be created, %2$d updated, %3$d skipped, %4$d failed.',
					'almaseo-outreach'
				),
				created,
				updated,
				skipped,
				errors.length
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
				errors.length
			);
}

// Why rows were skipped, as the service counts them (`skipped_reasons`).
const REASONS = {
	on_board: (n) =>
		/* translators: %d: number of rows */
		sprintf(__('already on the board: %d', 'almaseo-outreach'), n),
	earlier_in_file: (n) =>
		/* translators: %d: number of rows */
		sprintf(__('repeated in the file: %d', 'almaseo-outreach'), n),
};

function reasonsLine(reasons) {
	const parts = Object.entries(reasons)
		.filter(([why, n]) => why !== 'unchanged' && n > 0)
		.map(([why, n]) =>
			REASONS[why] ? REASONS[why](n) : labelFor(why) + ': ' + n
		);
	return parts.length
		? h('p', {
				className: 'ao-import-reasons',
				text: sprintf(
					/* translators: %s: reasons with their counts */
					__('Skipped rows: %s.', 'almaseo-outreach'),
					parts.join('; ')
				),
			})
		: null;
}

function showSummary(ui, dry, sum) {
	ui.summary.append(
		h('p', { className: 'ao-import-counts', text: countsLine(dry, sum) }),
		reasonsLine(sum.reasons) || ''
	);
	if (ui.cancelled) {
		ui.summary.appendChild(
			h('p', {
				text: __(
					'Cancelled: the rows after the last finished slice were not sent.',
					'almaseo-outreach'
				),
			})
		);
	}
	if (sum.errors.length) {
		const file = ui.file;
		ui.summary.appendChild(
			button(
				__('Download the failed rows', 'almaseo-outreach'),
				() => download('failed-rows.csv', failedRows(file, sum.errors)),
				'ao-import-failed'
			)
		);
	}
}

/** The Import dialog. */
export function importDialog() {
	const ui = controls(
		modal(__('Import CSV', 'almaseo-outreach'), 'import', { size: 'full' })
	);
	ui.dialog.body.append(
		field(__('CSV file', 'almaseo-outreach'), 'file', ui.input),
		field(
			__('Duplicates', 'almaseo-outreach'),
			'on_duplicate',
			ui.onDuplicate
		),
		field(__('Project', 'almaseo-outreach'), 'project_id', ui.project),
		ui.mapping
	);
	ready(ui, false);
	ui.cancel.hidden = true;
	ui.dialog.footer.append(
		h('div', { className: 'ao-import-results' }, [ui.progress, ui.summary]),
		ui.dry,
		ui.start,
		ui.cancel
	);
	ui.input.addEventListener('change', () => chooseFile(ui));
}
