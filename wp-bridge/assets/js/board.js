/**
 * AlmaSEO Outreach: the kanban board, its metrics, search, drag and drop and polling.
 */
(function () {
	'use strict';

	const { __, sprintf } = wp.i18n;
	const AO = window.almaseoOutreach;
	const h = AO.h;

	const METRICS = [
		['total_sent', __('Total Sent', 'almaseo-outreach'), 'count'],
		['delivered', __('Delivered', 'almaseo-outreach'), 'count'],
		['open_rate', __('Open Rate', 'almaseo-outreach'), 'rate'],
		['click_rate', __('Click Rate', 'almaseo-outreach'), 'rate'],
		['reply_rate', __('Reply Rate', 'almaseo-outreach'), 'rate'],
		['bounced', __('Bounced', 'almaseo-outreach'), 'count'],
		['wins', __('Wins', 'almaseo-outreach'), 'count'],
	];

	const state = AO.state;

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
			cards.forEach((card) => list.appendChild(AO.renderCard(card)));
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
