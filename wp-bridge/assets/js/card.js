/**
 * AlmaSEO Outreach: columns, the shared board state and one card (badges, sequence, actions, keys).
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
						/* translators: 1: sequence name, 2: step, 3: steps, 4: date */ __(
							'%1$s · next: step %2$d of %3$d, %4$s',
							'almaseo-outreach'
						),
						seq.name,
						(seq.current_step || 0) + 1,
						seq.total_steps || (seq.current_step || 0) + 1,
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
				// Why the next step waits (a limit, a SendGrid refusal being retried) or
				// why it stopped: server text, so textContent only.
				seq.last_error
					? h('span', {
							className: 'ao-card-sequence-error',
							text: seq.last_error,
						})
					: null,
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
	AO.renderCard = renderCard;
})();
