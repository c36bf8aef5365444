/**
 * Bulk actions on the selected cards through POST /opportunities/bulk, in batches of 500,
 * with progress and per-card results.
 */
import { __, _n, sprintf } from './i18n.js';
import { h, clear } from './dom.js';
import { can } from './config.js';
import { get, post } from './api.js';
import { notice } from './notices.js';
import { COLUMNS } from './labels.js';
import { state, findCard } from './state.js';
import { clearSelection } from './selection.js';
import { refresh } from './sync.js';
import { select } from './forms.js';
import { modal, button } from './modal.js';

const BATCH = 500;
function runBatches(ids, body, progress) {
	const result = { done: [], failed: [] };
	let chain = Promise.resolve();
	for (let i = 0; i < ids.length; i += BATCH) {
		const slice = ids.slice(i, i + BATCH);
		chain = chain
			.then(() => post('/opportunities/bulk', { ...body, ids: slice }))
			.then(
				(answer) => {
					result.done.push(...(answer.done || []));
					result.failed.push(...(answer.failed || []));
				},
				(error) =>
					slice.forEach((id) =>
						result.failed.push({ id, message: error.message })
					)
			)
			.then(() =>
				progress(result.done.length + result.failed.length, ids.length)
			);
	}
	return chain.then(() => result);
}

function report(bar, result) {
	const box = bar.querySelector('.ao-bulk-result');
	clear(box);
	box.appendChild(
		h('p', {
			text: sprintf(
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
					result.done.length,
					'almaseo-outreach'
				),
				result.done.length
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
				__(
					'Delete %d cards? Their sent emails stay in the metrics.',
					'almaseo-outreach'
				),
				state.selected.size
			),
		})
	);
	target.footer.appendChild(
		button(
			__('Delete', 'almaseo-outreach'),
			() => {
				target.close();
				return run(bar, { action: 'delete' });
			},
			'button-primary button-link-delete ao-confirm-delete'
		)
	);
	target.footer.appendChild(
		h('button', {
			type: 'button',
			className: 'button ao-cancel',
			text: __('Cancel', 'almaseo-outreach'),
			onClick: () => target.close(),
		})
	);
}

function actionButton(label, cls, handler) {
	const node = h('button', {
		type: 'button',
		className: 'button ' + cls,
		text: label,
	});
	node.addEventListener('click', () => {
		node.disabled = true;
		Promise.resolve()
			.then(handler)
			.catch((error) => notice(error.message, 'error'))
			.then(() => (node.disabled = false));
	});
	return node;
}

/**
 * The bulk bar (shown while cards are selected).
 *
 * @return {window.HTMLElement} Bar.
 */
export function bulkBar() {
	const count = h('strong', { className: 'ao-bulk-count' });
	const parts = [count];
	const bar = h('div', {
		className: 'ao-bulk',
		role: 'region',
		'aria-label': __('Bulk actions', 'almaseo-outreach'),
		hidden: true,
	});
	if (can('edit')) {
		const to = select(
			COLUMNS.map((c) => [c.key, c.label]),
			'reached'
		);
		to.className = 'ao-bulk-status';
		to.setAttribute('aria-label', __('Move to column', 'almaseo-outreach'));
		parts.push(
			to,
			actionButton(__('Move', 'almaseo-outreach'), 'ao-bulk-move', () =>
				run(bar, { action: 'move', status: to.value })
			)
		);
	}
	if (can('send')) {
		const seq = select([['', __('Sequence…', 'almaseo-outreach')]]);
		seq.className = 'ao-bulk-sequence';
		seq.setAttribute(
			'aria-label',
			__('Sequence to assign', 'almaseo-outreach')
		);
		seq.addEventListener(
			'focus',
			() => {
				if (seq.options.length === 1) {
					get('/sequences').then((list) =>
						list.forEach((s) =>
							seq.appendChild(
								h('option', {
									value: String(s.id),
									text: s.name,
								})
							)
						)
					);
				}
			},
			{ once: true }
		);
		parts.push(
			seq,
			actionButton(
				__('Assign', 'almaseo-outreach'),
				'ao-bulk-assign',
				() =>
					seq.value
						? run(bar, {
								action: 'assign_sequence',
								sequence_id: parseInt(seq.value, 10),
							})
						: null
			),
			actionButton(
				__('Stop sequences', 'almaseo-outreach'),
				'ao-bulk-stop',
				() => run(bar, { action: 'stop_sequence' })
			)
		);
	}
	if (can('delete')) {
		parts.push(
			actionButton(
				__('Delete', 'almaseo-outreach'),
				'button-link-delete ao-bulk-delete',
				() => confirmDelete(bar)
			)
		);
	}
	parts.push(
		h('button', {
			type: 'button',
			className: 'button-link ao-bulk-clear',
			text: __('Clear selection', 'almaseo-outreach'),
			onClick: () => {
				clear(bar.querySelector('.ao-bulk-result'));
				clearSelection();
			},
		}),
		h('progress', { className: 'ao-bulk-progress', hidden: true }),
		h('div', { className: 'ao-bulk-result', role: 'status' })
	);
	parts.forEach((p) => bar.appendChild(p));
	bar.update = () => {
		bar.hidden =
			state.selected.size === 0 &&
			!bar.querySelector('.ao-bulk-result').firstChild;
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
