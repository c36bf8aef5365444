/**
 * The board page: metrics, toolbar, the column switcher, four virtualised lanes, polling.
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { can } from '../common/config.js';
import { get } from '../common/api.js';
import { notice } from '../common/notices.js';
import { COLUMNS } from '../common/labels.js';
import { findCard, state, subscribe, visibleCards } from '../common/state.js';
import { refresh, startPolling } from '../common/sync.js';
import { setRevealer } from '../common/focus.js';
import { banner as pauseBanner, checkPause } from '../settings/pause-banner.js';
import { openDetail } from '../card/panel.js';
import { bulkBar } from './bulk.js';
import { bindDrop, bindDrag } from './dnd.js';
import { bindCards } from './keys.js';
import { createLane } from './lane.js';
import { metricsPanel, showMetrics } from './metrics.js';
import { selectColumn } from './selection.js';
import { toolbar } from './toolbar.js';

const ui = { lanes: {}, current: 'new' };

function switcher() {
	const bar = h('div', {
		className: 'ao-switcher',
		role: 'tablist',
		'aria-label': __('Columns', 'almaseo-outreach'),
	});
	COLUMNS.forEach((column) => {
		const tab = h('button', {
			type: 'button',
			role: 'tab',
			className: 'ao-switch',
			dataset: { status: column.key },
			text: column.label,
			onClick: () => showColumn(column.key),
		});
		bar.appendChild(tab);
	});
	return bar;
}

function showColumn(key) {
	ui.current = key;
	document
		.querySelectorAll('.ao-switch')
		.forEach((tab) =>
			tab.setAttribute(
				'aria-selected',
				String(tab.dataset.status === key)
			)
		);
	COLUMNS.forEach((c) =>
		ui.lanes[c.key].section.classList.toggle('is-current', c.key === key)
	);
	ui.lanes[key].render();
}

function boardPanel() {
	const chooser =
		can('edit') || can('delete') || can('send') ? selectColumn : null;
	return h(
		'div',
		{ className: 'ao-board' },
		COLUMNS.map((column) => {
			const lane = createLane(column, chooser);
			ui.lanes[column.key] = lane;
			if (can('edit')) {
				bindDrop(lane, column.key);
				bindDrag(lane.list);
			}
			bindCards(lane.list);
			return lane.section;
		})
	);
}

// A column's count before the board answered (a 0 would say "empty" during an outage).
const NOT_LOADED = '–';

function drawLanes() {
	const filtering = state.query.trim() !== '';
	COLUMNS.forEach(({ key }) => {
		const lane = ui.lanes[key];
		const cards = visibleCards(key);
		lane.setCards(cards);
		const total = state.loaded ? state.columns[key].length : NOT_LOADED;
		lane.count.textContent =
			filtering && state.loaded
				? sprintf(
						/* translators: 1: shown cards, 2: all cards */ __(
							'%1$d of %2$d',
							'almaseo-outreach'
						),
						cards.length,
						total
					)
				: String(total);
		if (lane.box) {
			lane.box.checked =
				cards.length > 0 &&
				cards.every((c) => state.selected.has(c.id));
		}
		const tab = document.querySelector(
			'.ao-switch[data-status="' + key + '"]'
		);
		if (tab) {
			tab.textContent =
				COLUMNS.find((c) => c.key === key).label + ' ' + total;
		}
	});
	ui.bulk.update();
	document
		.querySelector('.ao-board')
		.classList.toggle('has-selection', state.selected.size > 0);
}

function setOffline() {
	const banner = document.getElementById('ao-board-error');
	banner.hidden = !state.offline;
	banner.textContent = state.offline ? state.offline.message : '';
}

/** Size the board to the space left in the window, so the page never grows with cards. */
function fit() {
	const board = document.querySelector('.ao-board');
	const top = board.getBoundingClientRect().top + window.scrollY;
	const height = Math.max(320, window.innerHeight - top - 16);
	board.style.height = height + 'px';
	COLUMNS.forEach(({ key }) => ui.lanes[key].render());
}

/**
 * Open the card a link names: `admin.php?page=almaseo-outreach&card=<id>`, as a Slack
 * notification links it (docs/api.md §17). A card the board's view does not show (another
 * project, a filter) is read by itself; one that is gone says so.
 */
function openLinkedCard() {
	const id = Number(
		new URL(window.location.href).searchParams.get('card') || 0
	);
	if (!Number.isInteger(id) || id <= 0) {
		return;
	}
	const card = findCard(id);
	if (card) {
		openDetail(card);
		return;
	}
	get('/opportunities/' + id).then(openDetail, () =>
		notice(
			__(
				'The linked card was not found: it may have been deleted.',
				'almaseo-outreach'
			),
			'error'
		)
	);
}

/**
 * Draw the board into its mount point and keep it up to date.
 *
 * @param {window.HTMLElement} app The page's #ao-app.
 */
export function mountBoard(app) {
	clear(app);
	app.setAttribute('tabindex', '-1');
	ui.bulk = bulkBar();
	[
		h('div', { id: 'ao-notices', className: 'ao-notices' }),
		metricsPanel(),
		toolbar(),
		pauseBanner,
		h('div', {
			id: 'ao-board-error',
			className: 'notice notice-error ao-board-error',
			role: 'alert',
			hidden: true,
		}),
		ui.bulk,
		switcher(),
		boardPanel(),
	].forEach((node) => app.appendChild(node));
	setRevealer((id) => {
		const card = state.byId.get(id);
		if (!card) {
			return null;
		}
		if (
			ui.current !== card.status &&
			window.matchMedia('(max-width: 782px)').matches
		) {
			showColumn(card.status);
		}
		return ui.lanes[card.status].reveal(id);
	});
	subscribe((changed) => {
		if (changed === 'offline') {
			setOffline();
			drawLanes(); // "not loaded" rather than "no cards" while nothing came
		} else if (changed === 'metrics') {
			showMetrics();
		} else {
			drawLanes();
		}
	});
	showColumn('new');
	fit();
	window.addEventListener('resize', fit);
	refresh(true).then(() => {
		fit();
		app.classList.add('is-ready');
		openLinkedCard();
	});
	startPolling();
	checkPause();
}
