/**
 * Bulk actions on the selected cards through POST /opportunities/bulk, in batches of 500,
 * with progress and per-card results.
 */
import { __, _n, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { can } from '../common/config.js';
import { get, post } from '../common/api.js';
import { notice } from '../common/notices.js';
import { columnOptions } from '../common/labels.js';
import { siteDay } from '../common/format.js';
import { state, findCard } from '../common/state.js';
import { refresh } from '../common/sync.js';
import { addOptions, button, select } from '../common/controls.js';
import { modal, footer } from '../common/modal.js';
import { clearSelection } from './selection.js';

const BATCH = 500;
function runBatches(ids, body, progress) {
	const result = { done: [], failed: [], queued: [] };
	let chain = Promise.resolve();
	for (let i = 0; i < ids.length; i += BATCH) {
		const slice = ids.slice(i, i + BATCH);
		chain = chain
			.then(() => post('/opportunities/bulk', { ...body, ids: slice }))
			.then(
				(answer) => {
					result.done.push(...(answer.done || []));
					result.failed.push(...(answer.failed || []));
					result.queued.push(...(answer.queued || []));
				},
				(error) =>
					slice.forEach((id) =>
						result.failed.push({ id, message: error.message })
					)
			)
			.then(() =>
				progress(
					result.done.length +
						result.failed.length +
						result.queued.length,
					ids.length
				)
			);
	}
	return chain.then(() => result);
}

/**
 * What a sequence start with a queue says: "95 sending today, 145 queued for the next 2
 * days" (days of the site's calendar: today's, and those the queued ones fall on).
 *
 * @param {Object} result Bulk result with `queued` [{id, scheduled_for}].
 * @return {string} Sentence.
 */
function queueSummary(result) {
	const today = siteDay(Date.now());
	const later = result.queued
		.map((q) => siteDay(q.scheduled_for))
		.filter((day) => day > today);
	const sendingToday =
		result.done.length + result.queued.length - later.length;
	const sending = sprintf(
		/* translators: %d: number of cards whose first email goes today */
		_n(
			'%d sending today',
			'%d sending today',
			sendingToday,
			'almaseo-outreach'
		),
		sendingToday
	);
	if (!later.length) {
		return sending + '.';
	}
	const days = new Set(later).size;
	return (
		sending +
		', ' +
		sprintf(
			/* translators: 1: number of cards, 2: number of days */
			_n(
				'%1$d queued for the next %2$d day.',
				'%1$d queued for the next %2$d days.',
				days,
				'almaseo-outreach'
			),
			later.length,
			days
		)
	);
}

function report(bar, result) {
	const box = bar.querySelector('.ao-bulk-result');
	clear(box);
	box.appendChild(
		h('p', {
			text: result.queued.length
				? queueSummary(result) +
					' ' +
					sprintf(
						/* translators: %d: cards failed */
						__('%d failed.', 'almaseo-outreach'),
						result.failed.length
					)
				: sprintf(
						/* translators: 1: cards done, 2: cards failed */
						__('%1$d done, %2$d failed.', 'almaseo-outreach'),
						result.done.length,
						result.failed.length
					),
		})
	);
	if (result.failed.length) {
		box.appendChild(
			h(
				'ul',
				{ className: 'ao-bulk-failed' },
				result.failed.map((f) => {
					const card = findCard(f.id);
					return h('li', {
						dataset: { id: String(f.id) },
						text:
							(card ? card.domain : '#' + f.id) +
							': ' +
							f.message,
					});
				})
			)
		);
	}
}

function run(bar, body) {
	const ids = Array.from(state.selected);
	if (!ids.length) {
		return Promise.resolve();
	}
	const meter = bar.querySelector('progress');
	meter.hidden = false;
	meter.max = ids.length;
	meter.value = 0;
	return runBatches(ids, body, (n) => (meter.value = n)).then((result) => {
		meter.hidden = true;
		report(bar, result);
		state.selected = new Set(
			result.failed.map((f) => f.id).filter((id) => state.byId.has(id))
		);
		notice(
			sprintf(
				/* translators: %d: number of cards */
				_n(
					'%d card updated.',
					'%d cards updated.',
					result.done.length + result.queued.length,
					'almaseo-outreach'
				),
				result.done.length + result.queued.length
			),
			result.failed.length ? 'error' : 'success'
		);
		return refresh();
	});
}

/**
 * Ask before deleting; the question opens on Cancel.
 *
 * @param {window.HTMLElement} bar The bulk bar.
 */
function confirmDelete(bar) {
	const target = modal(
		__('Delete the selected cards?', 'almaseo-outreach'),
		'bulk-delete',
		{ focus: '.ao-cancel' }
	);
	target.body.appendChild(
		h('p', {
			text: sprintf(
				/* translators: %d: number of cards */
				_n(
					'Delete %d card? Its sent emails stay in the metrics.',
					'Delete %d cards? Their sent emails stay in the metrics.',
					state.selected.size,
					'almaseo-outreach'
				),
				state.selected.size
			),
		})
	);
	footer(target, [
		button(
			__('Delete', 'almaseo-outreach'),
			() => {
				target.close();
				return run(bar, { action: 'delete' });
			},
			'button-primary button-link-delete ao-confirm-delete'
		),
	]);
}

// A bar button: a failure is told in a notice (the bar has no error line).
const actionButton = (label, cls, handler) =>
	button(
		label,
		() =>
			Promise.resolve()
				.then(handler)
				.catch((error) => notice(error.message, 'error')),
		cls
	);

function labelled(node, className, label) {
	node.className = className;
	node.setAttribute('aria-label', label);
	return node;
}

function moveControls(bar) {
	const to = labelled(
		select(columnOptions(), 'reached'),
		'ao-bulk-status',
		__('Move to column', 'almaseo-outreach')
	);
	return [
		to,
		actionButton(__('Move', 'almaseo-outreach'), 'ao-bulk-move', () =>
			run(bar, { action: 'move', status: to.value })
		),
	];
}

function sequenceControls(bar) {
	const seq = labelled(
		select([['', __('Sequence…', 'almaseo-outreach')]]),
		'ao-bulk-sequence',
		__('Sequence to assign', 'almaseo-outreach')
	);
	// Why: the sequences are fetched when the person first opens the list.
	const fetch = () => get('/sequences').then((list) => addOptions(seq, list));
	seq.addEventListener('focus', fetch, { once: true });
	const assign = () =>
		seq.value
			? run(bar, {
					action: 'assign_sequence',
					sequence_id: parseInt(seq.value, 10),
				})
			: null;
	return [
		seq,
		actionButton(
			__('Assign', 'almaseo-outreach'),
			'ao-bulk-assign',
			assign
		),
		actionButton(
			__('Stop sequences', 'almaseo-outreach'),
			'ao-bulk-stop',
			() => run(bar, { action: 'stop_sequence' })
		),
	];
}

function projectControls(bar) {
	const project = labelled(
		select([
			['', __('Project…', 'almaseo-outreach')],
			['none', __('No project', 'almaseo-outreach')],
		]),
		'ao-bulk-project',
		__('Project to assign', 'almaseo-outreach')
	);
	const fetch = () =>
		get('/projects').then((list) =>
			addOptions(
				project,
				list.filter((p) => !p.archived)
			)
		);
	project.addEventListener('focus', fetch, { once: true });
	const assign = () =>
		project.value
			? run(bar, {
					action: 'assign_project', // docs/api.md §19
					project_id:
						project.value === 'none'
							? null
							: parseInt(project.value, 10),
				})
			: null;
	return [
		project,
		actionButton(
			__('Assign to project', 'almaseo-outreach'),
			'ao-bulk-assign-project',
			assign
		),
	];
}

function deleteControls(bar) {
	return [
		actionButton(
			__('Delete', 'almaseo-outreach'),
			'button-link-delete ao-bulk-delete',
			() => confirmDelete(bar)
		),
	];
}

/**
 * The bulk bar (shown while cards are selected): what the user may do to the selection.
 *
 * @return {window.HTMLElement} Bar; `bar.update()` redraws its count.
 */
export function bulkBar() {
	const count = h('strong', { className: 'ao-bulk-count' });
	const bar = h('div', {
		className: 'ao-bulk',
		role: 'region',
		'aria-label': __('Bulk actions', 'almaseo-outreach'),
		hidden: true,
	});
	const result = h('div', { className: 'ao-bulk-result', role: 'status' });
	bar.append(
		count,
		...(can('edit') ? moveControls(bar) : []),
		...(can('edit') ? projectControls(bar) : []),
		...(can('send') ? sequenceControls(bar) : []),
		...(can('delete') ? deleteControls(bar) : []),
		h('button', {
			type: 'button',
			className: 'button-link ao-bulk-clear',
			text: __('Clear selection', 'almaseo-outreach'),
			onClick: () => {
				clear(result);
				clearSelection();
			},
		}),
		h('progress', { className: 'ao-bulk-progress', hidden: true }),
		result
	);
	bar.update = () => {
		bar.hidden = state.selected.size === 0 && !result.firstChild;
		count.textContent = sprintf(
			/* translators: %d: number of selected cards */
			_n(
				'%d selected',
				'%d selected',
				state.selected.size,
				'almaseo-outreach'
			),
			state.selected.size
		);
	};
	return bar;
}
