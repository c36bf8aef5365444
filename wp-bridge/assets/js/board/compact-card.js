/**
 * One compact card on a lane: domain, anchor, badges and sequence line; actions live in
 * its menu.
 */
import { __, _n, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { can } from '../common/config.js';
import { when } from '../common/format.js';
import { state } from '../common/state.js';
import { linkBadge, lastSeenLive } from '../links/link-status.js';
import { badge, dncBadge, sequenceLine, statusBadge } from '../card/summary.js';
import { metricsBadge } from '../card/metrics-fields.js';
import { projectColor } from './project-picker.js';

function badges(card) {
	const list = [dncBadge(card), metricsBadge(card)].filter(Boolean);
	if (card.lost_link) {
		const lost = badge(
			__('Lost Link', 'almaseo-outreach'),
			'ao-badge-lost'
		);
		lost.title = lastSeenLive(card) || lost.textContent;
		list.push(lost);
	}
	const link = linkBadge(card);
	if (link) {
		list.push(link);
	}
	if (card.email_status) {
		list.push(statusBadge(card.email_status));
	}
	if (card.unread_replies > 0) {
		list.push(
			badge(
				sprintf(
					/* translators: %d: number of unread replies */
					_n(
						'%d unread reply',
						'%d unread replies',
						card.unread_replies,
						'almaseo-outreach'
					),
					card.unread_replies
				),
				'ao-badge-unread'
			)
		);
	}
	if (card.notes) {
		list.push(
			h('span', {
				className:
					'ao-notes-indicator dashicons dashicons-format-aside',
				title: __('Has notes', 'almaseo-outreach'),
				role: 'img',
				'aria-label': __('Has notes', 'almaseo-outreach'),
			})
		);
	}
	return list;
}

const scheduled = (card) =>
	sprintf(
		/* translators: %s: date and time in the site's zone */
		__('Scheduled for %s', 'almaseo-outreach'),
		when(card.next_send_at)
	);

function head(card) {
	return h('div', { className: 'ao-card-head' }, [
		can('edit') || can('delete') || can('send')
			? h('input', {
					type: 'checkbox',
					className: 'ao-card-select',
					checked: state.selected.has(card.id),
					'aria-label': sprintf(
						/* translators: %s: domain */
						__('Select %s', 'almaseo-outreach'),
						card.domain
					),
					tabindex: '-1',
				})
			: null,
		h('a', {
			className: 'ao-card-domain',
			href: card.source_url,
			target: '_blank',
			rel: 'noopener noreferrer',
			title: card.source_url,
			text: card.domain,
			tabindex: '-1',
		}),
		h('button', {
			type: 'button',
			className: 'ao-card-menu-button button-link',
			'aria-haspopup': 'menu',
			'aria-label': sprintf(
				/* translators: %s: domain */
				__('Actions for %s', 'almaseo-outreach'),
				card.domain
			),
			title: __('Actions (Shift+F10)', 'almaseo-outreach'),
			text: '⋯',
			tabindex: '-1',
		}),
	]);
}

/**
 * Draw one card (fixed height: the lanes place it by index).
 *
 * @param {Object} card Card.
 * @return {window.HTMLElement} The card.
 */
export function renderCard(card) {
	const anchor = card.anchor_text;
	const node = h(
		'li',
		{
			className:
				'ao-card' + (state.selected.has(card.id) ? ' is-selected' : ''),
			dataset: { id: String(card.id), status: card.status },
			draggable: can('edit') ? 'true' : null,
			// The lane makes one card per column its Tab stop (lane.js).
			tabindex: '-1',
			'aria-label': anchor ? card.domain + ' — ' + anchor : card.domain,
			'aria-keyshortcuts':
				'Enter Shift+F10 ArrowLeft ArrowRight Home End PageUp PageDown Alt+ArrowLeft Alt+ArrowRight',
		},
		[
			head(card),
			h('p', {
				className: 'ao-card-anchor' + (anchor ? '' : ' is-empty'),
				title: anchor || null,
				text: anchor || __('No anchor text', 'almaseo-outreach'),
			}),
			h('div', { className: 'ao-card-meta' }, [
				...badges(card),
				card.next_send_at
					? h('span', {
							className: 'ao-card-scheduled',
							text: scheduled(card),
							title: scheduled(card), // cut with an ellipsis on a narrow lane
						})
					: null,
				sequenceLine(card.sequence),
			]),
		]
	);
	const color = projectColor(card);
	if (color) {
		node.style.borderLeft = '4px solid ' + color; // its project (docs/api.md §19)
	}
	node.card = card;
	return node;
}
