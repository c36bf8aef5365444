/**
 * The deliverability part of the sending settings: footer, window, bounce brake, domain
 * cap, and the current state (paused or not, the window in words).
 */
import { __, sprintf } from '../common/i18n.js';
import { when } from '../common/format.js';
import { h } from '../common/dom.js';
import { input } from '../common/controls.js';
import { form } from '../common/form.js';

const DAYS = [
	[1, __('Mon', 'almaseo-outreach')],
	[2, __('Tue', 'almaseo-outreach')],
	[3, __('Wed', 'almaseo-outreach')],
	[4, __('Thu', 'almaseo-outreach')],
	[5, __('Fri', 'almaseo-outreach')],
	[6, __('Sat', 'almaseo-outreach')],
	[7, __('Sun', 'almaseo-outreach')],
];

function dayBoxes() {
	const boxes = DAYS.map(([day, label]) => {
		const box = input('checkbox', '', {
			className: 'ao-day',
			value: String(day),
		});
		return [
			day,
			box,
			h('label', { className: 'ao-day-label' }, [box, ' ' + label]),
		];
	});
	const wrapper = h(
		'span',
		{ className: 'ao-days' },
		boxes.map((b) => b[2])
	);
	wrapper.boxes = boxes;
	return wrapper;
}

function usage(site) {
	const now = site.sending_state || {};
	const parts = [
		sprintf(
			/* translators: 1: emails sent, 2: the daily limit */
			__('Sent in the last 24 hours: %1$d of %2$d.', 'almaseo-outreach'),
			now.sent_last_24h || 0,
			site.daily_limit
		),
	];
	if (now.next_window_opening) {
		parts.push(
			sprintf(
				/* translators: %s: date and time */
				__('Next window opening: %s.', 'almaseo-outreach'),
				when(now.next_window_opening)
			)
		);
	}
	return parts.join(' ');
}

function sendingState(site) {
	if (site.paused) {
		return sprintf(
			/* translators: 1: date and time, 2: the reason */
			__('Sending is paused since %1$s: %2$s', 'almaseo-outreach'),
			when(site.paused_at),
			site.paused_reason || ''
		);
	}
	const w = site.send_window || {};
	if (!w.enabled) {
		return __(
			'Sending is on; no sending window: steps go whenever they are due.',
			'almaseo-outreach'
		);
	}
	const names = DAYS.filter(([d]) => (w.days || []).includes(d)).map(
		(d) => d[1]
	);
	return sprintf(
		/* translators: 1: days, 2: start time, 3: end time, 4: time zone */
		__(
			'Sending is on; steps go on %1$s, %2$s–%3$s (%4$s).',
			'almaseo-outreach'
		),
		names.join(', '),
		w.start,
		w.end,
		site.timezone
	);
}

// Named as the service names them, so its reasons land under the right control.
const DELIVERABILITY_FIELDS = [
	{
		name: 'unsubscribe_footer',
		label: __(
			'Add a one-line unsubscribe sentence to each email',
			'almaseo-outreach'
		),
		type: 'checkbox',
		help: __(
			'Not added when the email already uses {{unsubscribe_url}}.',
			'almaseo-outreach'
		),
	},
	{
		name: 'send_window',
		label: __('Send sequence steps only in a window', 'almaseo-outreach'),
		type: 'checkbox',
	},
	{
		name: 'send_window.start',
		label: __('Window opens at', 'almaseo-outreach'),
		type: 'time',
		value: '09:00',
	},
	{
		name: 'send_window.end',
		label: __('Window closes at', 'almaseo-outreach'),
		type: 'time',
		value: '17:00',
	},
	{
		name: 'bounce_brake_percent',
		label: __(
			'Pause sending when this % of the last 50 emails bounced (0 = never)',
			'almaseo-outreach'
		),
		type: 'number',
	},
	{
		name: 'domain_daily_limit',
		label: __(
			'Most emails to one recipient domain per 24 hours (0 = no cap)',
			'almaseo-outreach'
		),
		type: 'number',
	},
	{
		name: 'hourly_limit',
		label: __('Most emails per hour (0 = no cap)', 'almaseo-outreach'),
		type: 'number',
		help: __(
			'Sequences started beyond the hourly or daily cap wait in a queue and go when there is room.',
			'almaseo-outreach'
		),
	},
	{
		name: 'min_spacing_seconds',
		label: __(
			'Seconds between two automated emails (0 = no spacing)',
			'almaseo-outreach'
		),
		type: 'number',
		help: __(
			'A few random seconds are added, so the emails do not go out like clockwork.',
			'almaseo-outreach'
		),
	},
];

function daysField(days) {
	return h(
		'p',
		{
			className: 'ao-field',
			dataset: {
				field: 'send_window.days',
				label: __('Window days', 'almaseo-outreach'),
			},
		},
		[
			days,
			h('span', {
				className: 'ao-field-error',
				role: 'alert',
				hidden: true,
			}),
		]
	);
}

/**
 * The fields, how to fill them from the site and what to save.
 *
 * @return {Object} {nodes, fill(site), values()}.
 */
export function deliverabilityFields() {
	const days = dayBoxes();
	const status = h('p', { className: 'ao-sending-state', role: 'status' });
	const f = form('SitePatch', DELIVERABILITY_FIELDS);
	const [footer, windowOn, ...rest] = f.nodes;
	return {
		nodes: [status, footer, windowOn, daysField(days), ...rest],
		fill(site) {
			const w = site.send_window || {};
			status.textContent = sendingState(site) + ' ' + usage(site);
			f.fill({
				unsubscribe_footer: site.unsubscribe_footer !== false,
				send_window: w.enabled,
				'send_window.start': w.start || '09:00',
				'send_window.end': w.end || '17:00',
				bounce_brake_percent: site.bounce_brake_percent,
				domain_daily_limit: site.domain_daily_limit,
				hourly_limit: site.hourly_limit,
				min_spacing_seconds: site.min_spacing_seconds,
			});
			days.boxes.forEach(([d, box]) => {
				box.checked = (w.days || []).includes(d);
			});
		},
		values() {
			const v = f.values();
			return {
				unsubscribe_footer: v.unsubscribe_footer,
				send_window: {
					enabled: v.send_window,
					days: days.boxes
						.filter((b) => b[1].checked)
						.map((b) => b[0]),
					start: v['send_window.start'],
					end: v['send_window.end'],
				},
				bounce_brake_percent: v.bounce_brake_percent,
				domain_daily_limit: v.domain_daily_limit,
				hourly_limit: v.hourly_limit,
				min_spacing_seconds: v.min_spacing_seconds,
			};
		},
	};
}
