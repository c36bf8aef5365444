/**
 * AlmaSEO Outreach: the kanban board, its metrics, search, drag and drop and polling.
 */
(function () {
	'use strict';

	const { __, sprintf } = wp.i18n;
	const AO = window.almaseoOutreach;
	const h = AO.h;

	AO.COLUMNS = [
		{ key: 'new', label: __('New', 'almaseo-outreach') },
		{ key: 'queued', label: __('Queued', 'almaseo-outreach') },
		{ key: 'reached', label: __('Reached', 'almaseo-outreach') },
		{ key: 'won', label: __('Won', 'almaseo-outreach') },
	];
	AO.EMAIL_STATUS = {
		sent: __('Sent', 'almaseo-outreach'),
		delivered: __('Delivered', 'almaseo-outreach'),
		opened: __('Opened', 'almaseo-outreach'),
		clicked: __('Clicked', 'almaseo-outreach'),
		replied: __('Replied', 'almaseo-outreach'),
		bounced: __('Bounced', 'almaseo-outreach'),
	};
	const METRICS = [
		['total_sent', __('Total Sent', 'almaseo-outreach'), 'count'],
		['delivered', __('Delivered', 'almaseo-outreach'), 'count'],
		['open_rate', __('Open Rate', 'almaseo-outreach'), 'rate'],
		['click_rate', __('Click Rate', 'almaseo-outreach'), 'rate'],
		['reply_rate', __('Reply Rate', 'almaseo-outreach'), 'rate'],
		['bounced', __('Bounced', 'almaseo-outreach'), 'count'],
		['wins', __('Wins', 'almaseo-outreach'), 'count'],
	];

	const state = {
		board: null,
		signature: '',
		query: '',
		dragging: null,
		lists: {},
		counts: {},
		metrics: {},
	};
	AO.state = state;

	/**
	 * Every card currently on the board, by id.
	 *
	 * @param {number} id Opportunity id.
	 * @return {Object|null} Card.
	 */
	AO.findCard = function (id) {
		if (!state.board) {
			return null;
		}
		for (const column of AO.COLUMNS) {
			const found = (state.board.columns[column.key] || []).find(
				(card) => card.id === id
			);
			if (found) {
				return found;
			}
		}
		return null;
	};

	function matches(card, query) {
		if (!query) {
			return true;
		}
		return [card.source_url, card.anchor_text, card.notes, card.domain]
			.filter(Boolean)
			.some((text) => text.toLowerCase().includes(query));
	}

	function badge(text, className) {
		return h('span', { className: 'ao-badge ' + className, text });
	}

	function sequenceLine(seq) {
		if (!seq) {
			return null;
		}
		let text;
		if (seq.status === 'active') {
			text = seq.next_step_at
				? sprintf(
						/* translators: 1: sequence name, 2: step number, 3: date */
						__('%1$s · next: step %2$d, %3$s', 'almaseo-outreach'),
						seq.name,
						(seq.current_step || 0) + 1,
						AO.when(seq.next_step_at)
					)
				: sprintf(
						/* translators: 1: sequence name, 2: step number */
						__('%1$s · step %2$d sent', 'almaseo-outreach'),
						seq.name,
						seq.current_step || 0
					);
		} else {
			text = sprintf(
				/* translators: 1: sequence name, 2: status (completed or stopped) */
				__('%1$s (%2$s)', 'almaseo-outreach'),
				seq.name,
				seq.stop_reason
					? seq.status + ': ' + seq.stop_reason
					: seq.status
			);
		}
		return h(
			'p',
			{
				className: 'ao-card-sequence ao-sequence-' + seq.status,
				dataset: { sequenceStatus: seq.status },
			},
			[
				h('span', {
					className: 'dashicons dashicons-controls-repeat',
					'aria-hidden': 'true',
				}),
				text,
			]
		);
	}

	function actions(card) {
		const list = [];
		const add = (can, label, cls, handler) => {
			if (can) {
				list.push(
					h('button', {
						type: 'button',
						className: 'button button-small ' + cls,
						text: label,
						onClick: () => handler(card),
					})
				);
			}
		};
		const active = card.sequence && card.sequence.status === 'active';
		add(
			AO.can('send'),
			__('Send Email', 'almaseo-outreach'),
			'ao-action-send',
			AO.modals.send
		);
		if (active) {
			add(
				AO.can('send'),
				__('Stop Sequence', 'almaseo-outreach'),
				'ao-action-stop-sequence',
				AO.modals.stopSequence
			);
		} else {
			add(
				AO.can('send'),
				__('Start Sequence', 'almaseo-outreach'),
				'ao-action-start-sequence',
				AO.modals.assignSequence
			);
		}
		add(
			AO.can('edit'),
			__('Move to…', 'almaseo-outreach'),
			'ao-action-move',
			AO.modals.move
		);
		add(
			true,
			__('History', 'almaseo-outreach'),
			'ao-action-history',
			AO.modals.history
		);
		add(
			true,
			__('Notes', 'almaseo-outreach'),
			'ao-action-notes',
			AO.modals.notes
		);
		add(
			AO.can('delete'),
			__('Delete', 'almaseo-outreach'),
			'ao-action-delete button-link-delete',
			AO.modals.remove
		);
		return h('div', { className: 'ao-card-actions' }, list);
	}

	function renderCard(card) {
		const badges = [];
		if (card.lost_link) {
			badges.push(
				badge(__('Lost Link', 'almaseo-outreach'), 'ao-badge-lost')
			);
		}
		if (card.email_status) {
			const status = badge(
				AO.EMAIL_STATUS[card.email_status] || card.email_status,
				'ao-email-status ao-status-' + card.email_status
			);
			status.dataset.status = card.email_status;
			badges.push(status);
		}
		if (card.notes) {
			badges.push(
				h('span', {
					className:
						'ao-notes-indicator dashicons dashicons-format-aside',
					title: __('Has notes', 'almaseo-outreach'),
					role: 'img',
					'aria-label': __('Has notes', 'almaseo-outreach'),
				})
			);
		}
		const node = h(
			'li',
			{
				className: 'ao-card',
				dataset: { id: String(card.id), status: card.status },
				draggable: AO.can('edit') ? 'true' : null,
				tabindex: '0',
				'aria-label': card.domain,
			},
			[
				h('div', { className: 'ao-card-head' }, [
					h('a', {
						className: 'ao-card-domain',
						href: card.source_url,
						target: '_blank',
						rel: 'noopener noreferrer',
						text: card.domain,
					}),
				]),
				card.anchor_text
					? h('p', {
							className: 'ao-card-anchor',
							text: card.anchor_text,
						})
					: null,
				badges.length
					? h('div', { className: 'ao-card-badges' }, badges)
					: null,
				sequenceLine(card.sequence),
				actions(card),
			]
		);
		if (AO.can('edit')) {
			node.addEventListener('dragstart', (event) => {
				state.dragging = card.id;
				node.classList.add('is-dragging');
				event.dataTransfer.effectAllowed = 'move';
				event.dataTransfer.setData('text/plain', String(card.id));
			});
			node.addEventListener('dragend', () => {
				node.classList.remove('is-dragging');
				state.dragging = null;
			});
			node.addEventListener('keydown', (event) => onCardKey(event, card));
		}
		return node;
	}

	/**
	 * Alt+arrows move the focused card: left/right between columns, up/down within one.
	 *
	 * @param {Event}  event Key event.
	 * @param {Object} card  Card.
	 */
	function onCardKey(event, card) {
		if (!event.altKey || event.target !== event.currentTarget) {
			return;
		}
		const keys = AO.COLUMNS.map((c) => c.key);
		const col = keys.indexOf(card.status);
		const index = state.board.columns[card.status].findIndex(
			(c) => c.id === card.id
		);
		let target = null;
		if (event.key === 'ArrowLeft' && col > 0) {
			target = { status: keys[col - 1] };
		} else if (event.key === 'ArrowRight' && col < keys.length - 1) {
			target = { status: keys[col + 1] };
		} else if (event.key === 'ArrowUp' && index > 0) {
			target = { status: card.status, position: index - 1 };
		} else if (event.key === 'ArrowDown') {
			target = { status: card.status, position: index + 1 };
		}
		if (target) {
			event.preventDefault();
			AO.move(card.id, target.status, target.position, true);
		}
	}

	/**
	 * Save a move; the board is reloaded either way so it shows what the service holds.
	 *
	 * @param {number}  id       Opportunity id.
	 * @param {string}  status   Column.
	 * @param {number}  position Index in the column (end when undefined).
	 * @param {boolean} refocus  Focus the card again afterwards.
	 * @return {Promise} Done.
	 */
	AO.move = function (id, status, position, refocus) {
		const data = { status };
		if (position !== undefined && position !== null) {
			data.position = position;
		}
		return AO.post('/opportunities/' + id + '/move', data)
			.then(() => {
				const column = AO.COLUMNS.find((c) => c.key === status);
				AO.notice(
					sprintf(
						/* translators: %s: column name */
						__('Moved to %s.', 'almaseo-outreach'),
						column.label
					),
					'success'
				);
			})
			.catch((error) => AO.notice(error.message, 'error'))
			.then(() => AO.refresh(true))
			.then(() => {
				if (refocus) {
					const node = document.querySelector(
						'.ao-card[data-id="' + id + '"]'
					);
					if (node) {
						node.focus();
					}
				}
			});
	};

	function placeholderIndex(list, y) {
		const cards = Array.from(
			list.querySelectorAll('.ao-card:not(.is-dragging)')
		);
		const after = cards.findIndex((node) => {
			const box = node.getBoundingClientRect();
			return y < box.top + box.height / 2;
		});
		return after === -1 ? cards.length : after;
	}

	function bindDrop(list, status) {
		list.addEventListener('dragover', (event) => {
			if (state.dragging === null) {
				return;
			}
			event.preventDefault();
			event.dataTransfer.dropEffect = 'move';
			list.classList.add('is-drop-target');
		});
		list.addEventListener('dragleave', (event) => {
			if (!list.contains(event.relatedTarget)) {
				list.classList.remove('is-drop-target');
			}
		});
		list.addEventListener('drop', (event) => {
			event.preventDefault();
			list.classList.remove('is-drop-target');
			const id =
				state.dragging ||
				parseInt(event.dataTransfer.getData('text/plain'), 10);
			if (!id) {
				return;
			}
			const position = placeholderIndex(list, event.clientY);
			const node = document.querySelector(
				'.ao-card[data-id="' + id + '"]'
			);
			const siblings = list.querySelectorAll(
				'.ao-card:not(.is-dragging)'
			);
			// Why: show the card where it was dropped at once; the reload confirms it.
			if (node) {
				list.insertBefore(node, siblings[position] || null);
			}
			state.dragging = null;
			AO.move(id, status, position, false);
		});
	}

	function renderColumns() {
		const query = state.query.trim().toLowerCase();
		AO.COLUMNS.forEach((column) => {
			const list = AO.clear(state.lists[column.key]);
			const cards = (state.board.columns[column.key] || []).filter(
				(card) => matches(card, query)
			);
			cards.forEach((card) => list.appendChild(renderCard(card)));
			if (!cards.length) {
				list.appendChild(
					h('li', {
						className: 'ao-empty',
						text: query
							? __('No matching cards', 'almaseo-outreach')
							: __('No cards yet', 'almaseo-outreach'),
					})
				);
			}
			state.counts[column.key].textContent = String(cards.length);
		});
	}

	/**
	 * Reload the board (and the metrics); re-render only when something changed.
	 *
	 * @param {boolean} force Re-render even if unchanged.
	 * @return {Promise} Done.
	 */
	AO.refresh = function (force) {
		return Promise.all([loadBoard(force), loadMetrics()]);
	};

	function loadBoard(force) {
		return AO.get('/board')
			.then((board) => {
				const signature = JSON.stringify(board);
				state.board = board;
				setOffline(null);
				if (force || signature !== state.signature) {
					state.signature = signature;
					if (state.dragging === null) {
						renderColumns();
					}
				}
			})
			.catch((error) => setOffline(error));
	}

	function setOffline(error) {
		const banner = document.getElementById('ao-board-error');
		banner.hidden = !error;
		banner.textContent = error ? error.message : '';
	}

	function loadMetrics() {
		return AO.get('/metrics')
			.then((metrics) => {
				METRICS.forEach(([key, , kind]) => {
					const value = metrics[key];
					let text = '—';
					if (value !== undefined && value !== null) {
						text =
							kind === 'rate'
								? Math.round(value * 1000) / 10 + '%'
								: String(value);
					}
					state.metrics[key].textContent = text;
				});
			})
			.catch(() => {
				METRICS.forEach(([key]) => {
					state.metrics[key].textContent = '—';
				});
			});
	}

	function toolbar() {
		const search = h('input', {
			type: 'search',
			id: 'ao-search',
			className: 'ao-search',
			placeholder: __(
				'Search URL, anchor text, notes…',
				'almaseo-outreach'
			),
		});
		search.addEventListener('input', () => {
			state.query = search.value;
			if (state.board) {
				renderColumns();
			}
		});
		const buttons = [];
		if (AO.can('edit')) {
			buttons.push(
				h('button', {
					type: 'button',
					className: 'button button-primary ao-open-add',
					text: __('Add Opportunity', 'almaseo-outreach'),
					onClick: AO.modals.add,
				})
			);
		}
		buttons.push(
			h('button', {
				type: 'button',
				className: 'button ao-open-templates',
				text: __('Templates', 'almaseo-outreach'),
				onClick: AO.modals.templates,
			})
		);
		buttons.push(
			h('button', {
				type: 'button',
				className: 'button ao-open-sequences',
				text: __('Sequences', 'almaseo-outreach'),
				onClick: AO.modals.sequences,
			})
		);
		if (AO.can('settings')) {
			buttons.push(
				h('button', {
					type: 'button',
					className: 'button ao-open-site',
					text: __('Sending limits', 'almaseo-outreach'),
					onClick: AO.modals.site,
				})
			);
		}
		return h('div', { className: 'ao-toolbar' }, [
			h('label', {
				for: 'ao-search',
				className: 'screen-reader-text',
				text: __('Search opportunities', 'almaseo-outreach'),
			}),
			search,
			h('div', { className: 'ao-toolbar-buttons' }, buttons),
		]);
	}

	function metricsPanel() {
		return h(
			'section',
			{
				className: 'ao-metrics',
				'aria-label': __('Metrics', 'almaseo-outreach'),
			},
			METRICS.map(([key, label]) => {
				state.metrics[key] = h('span', {
					className: 'ao-metric-value',
					text: '…',
				});
				return h(
					'div',
					{ className: 'ao-metric', dataset: { metric: key } },
					[
						state.metrics[key],
						h('span', {
							className: 'ao-metric-label',
							text: label,
						}),
					]
				);
			})
		);
	}

	function boardPanel() {
		return h(
			'div',
			{ className: 'ao-board' },
			AO.COLUMNS.map((column) => {
				const list = h('ul', {
					className: 'ao-cards',
					'aria-label': column.label,
				});
				state.lists[column.key] = list;
				state.counts[column.key] = h('span', {
					className: 'ao-column-count',
					text: '0',
				});
				bindDrop(list, column.key);
				return h(
					'section',
					{
						className: 'ao-column ao-column-' + column.key,
						dataset: { status: column.key },
					},
					[
						h('h2', { className: 'ao-column-title' }, [
							column.label,
							' ',
							state.counts[column.key],
						]),
						list,
					]
				);
			})
		);
	}

	function poll() {
		const seconds = AO.config.pollSeconds || 15;
		window.setInterval(() => {
			if (document.hidden || state.dragging !== null) {
				return;
			}
			AO.refresh(false);
		}, seconds * 1000);
	}

	function start() {
		const app = document.getElementById('ao-app');
		if (!app) {
			return;
		}
		AO.clear(app);
		app.appendChild(
			h('div', { id: 'ao-notices', className: 'ao-notices' })
		);
		app.appendChild(metricsPanel());
		app.appendChild(toolbar());
		app.appendChild(
			h('div', {
				id: 'ao-board-error',
				className: 'notice notice-error ao-board-error',
				role: 'alert',
				hidden: true,
			})
		);
		app.appendChild(boardPanel());
		AO.refresh(true).then(() => app.classList.add('is-ready'));
		poll();
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', start);
	} else {
		start();
	}
})();
