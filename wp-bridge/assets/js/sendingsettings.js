/**
 * The deliverability part of the sending settings: footer, window, bounce brake, domain
 * cap, and the current state (paused or not, the window in words).
 */
import { __, sprintf } from './i18n.js';
import { field } from './modal.js';
import { h } from './dom.js';
import { input } from './forms.js';

const DAYS = [
	[1, __('Mon', 'almaseo-outreach')],
	[2, __('Tue', 'almaseo-outreach')],
	[3, __('Wed', 'almaseo-outreach')],
	[4, __('Thu', 'almaseo-outreach')],
	[5, __('Fri', 'almaseo-outreach')],
	[6, __('Sat', 'almaseo-outreach')],
	[7, __('Sun', 'almaseo-outreach')],
];

const checkbox = () => input('checkbox', '', { className: '' });

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
				new Date(now.next_window_opening).toLocaleString()
			)
		);
	}
	return parts.join(' ');
}

function state(site) {
	if (site.paused) {
		return sprintf(
			/* translators: 1: date and time, 2: the reason */
			__('Sending is paused since %1$s: %2$s', 'almaseo-outreach'),
			new Date(site.paused_at).toLocaleString(),
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

/**
 * The fields, how to fill them from the site and what to save.
 *
 * @return {Object} {nodes, fill(site), values()}.
 */
export function sendingFields() {
	const days = dayBoxes();
	const f = {
		status: h('p', { className: 'ao-sending-state', role: 'status' }),
		unsubscribe_footer: field(
			__(
				'Add a one-line unsubscribe sentence to each email',
				'almaseo-outreach'
			),
			'unsubscribe_footer',
			checkbox(),
			__(
				'Not added when the email already uses {{unsubscribe_url}}.',
				'almaseo-outreach'
			)
		),
		window_enabled: field(
			__('Send sequence steps only in a window', 'almaseo-outreach'),
			'send_window',
			checkbox()
		),
		// Named as the service names them, so its reasons land under the right control.
		days: h(
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
		),
		start: field(
			__('Window opens at', 'almaseo-outreach'),
			'send_window.start',
			input('time', '09:00')
		),
		end: field(
			__('Window closes at', 'almaseo-outreach'),
			'send_window.end',
			input('time', '17:00')
		),
		bounce_brake_percent: field(
			__(
				'Pause sending when this % of the last 50 emails bounced (0 = never)',
				'almaseo-outreach'
			),
			'bounce_brake_percent',
			input('number', '', { min: 0, max: 100 })
		),
		domain_daily_limit: field(
			__(
				'Most emails to one recipient domain per 24 hours (0 = no cap)',
				'almaseo-outreach'
			),
			'domain_daily_limit',
			input('number', '', { min: 0 })
		),
	};
	return {
		nodes: Object.values(f),
		fill(site) {
			const w = site.send_window || {};
			f.status.textContent = state(site) + ' ' + usage(site);
			f.unsubscribe_footer.control.checked =
				site.unsubscribe_footer !== false;
			f.window_enabled.control.checked = Boolean(w.enabled);
			days.boxes.forEach(([d, box]) => {
				box.checked = (w.days || []).includes(d);
			});
			f.start.control.value = w.start || '09:00';
			f.end.control.value = w.end || '17:00';
			f.bounce_brake_percent.control.value = String(
				site.bounce_brake_percent
			);
			f.domain_daily_limit.control.value = String(
				site.domain_daily_limit
			);
		},
		values() {
			return {
				unsubscribe_footer: f.unsubscribe_footer.control.checked,
				send_window: {
					enabled: f.window_enabled.control.checked,
					days: days.boxes
						.filter((b) => b[1].checked)
						.map((b) => b[0]),
					start: f.start.control.value,
					end: f.end.control.value,
				},
				bounce_brake_percent: parseInt(
					f.bounce_brake_percent.control.value,
					10
				),
				domain_daily_limit: parseInt(
					f.domain_daily_limit.control.value,
					10
				),
			};
		},
	};
}
