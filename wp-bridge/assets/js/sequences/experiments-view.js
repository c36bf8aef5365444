/**
 * The Experiments view of a sequence (docs/api.md §18), in the Sequences dialog: per
 * A/B-tested step a bar per variant (its human reply rate, the 95 % credible interval
 * drawn over it), the verdict in words, and the auto-winner switch. Opens are shown,
 * never judged.
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';
import { can } from '../common/config.js';
import { get, patch } from '../common/api.js';
import { notice } from '../common/notices.js';
import { when } from '../common/format.js';
import { clearError, showError } from '../common/modal.js';
import { leave } from '../common/confirm.js';
import { loadTemplates } from '../templates/cache.js';
import { letter } from './variants.js';

const pct = (rate) => Math.round(rate * 1000) / 10 + ' %';

function bar(variant, names) {
	const fill = h('span', { className: 'ao-exp-fill' });
	fill.style.width = Math.min(100, variant.reply_rate * 100) + '%';
	const [low, high] = variant.reply_interval || [0, 0];
	const range = h('span', { className: 'ao-exp-interval' });
	range.style.left = low * 100 + '%';
	range.style.width = Math.max(0.5, (high - low) * 100) + '%';
	return h(
		'li',
		{
			className: 'ao-exp-variant',
			dataset: { variant: String(variant.variant) },
		},
		[
			h('strong', {
				text:
					letter(variant.variant) +
					' — ' +
					(names[variant.template_id] || '#' + variant.template_id),
			}),
			h('span', { className: 'ao-exp-bar' }, [fill, range]),
			h('span', {
				className: 'ao-exp-figures',
				text: sprintf(
					/* translators: 1: replies, 2: sends, 3: reply rate, 4: interval low, 5: interval high, 6: interested replies, 7: open rate */
					__(
						'%1$d human replies of %2$d sent: %3$s (95 %% interval %4$s–%5$s); %6$d interested; opened %7$s (not judged)',
						'almaseo-outreach'
					),
					variant.replied,
					variant.sent,
					pct(variant.reply_rate),
					pct(low),
					pct(high),
					variant.positive,
					pct(variant.open_rate)
				),
			}),
		]
	);
}

/**
 * The verdict in words, e.g. "B beats A with 93 % confidence — keep going: 57 more
 * sends per variant to decide".
 *
 * @param {Object} step The step's experiment.
 * @return {string} Sentence.
 */
export function verdictWords(step) {
	const v = step.verdict;
	if (v.leader === null) {
		return __('Nothing sent yet.', 'almaseo-outreach');
	}
	const others = step.variants
		.filter((x) => x.variant !== v.leader)
		.map((x) => letter(x.variant))
		.join(', ');
	const args = [
		letter(v.leader),
		others,
		Math.round(v.confidence * 100) + ' %',
		v.sends_to_decide,
	];
	if (v.decided) {
		return sprintf(
			/* translators: 1: leading variant, 2: the other variants, 3: confidence */
			__(
				'%1$s beats %2$s with %3$s confidence — decided.',
				'almaseo-outreach'
			),
			...args
		);
	}
	if (v.sends_to_decide === null) {
		return sprintf(
			/* translators: 1: leading variant, 2: the other variants, 3: confidence */
			__(
				'%1$s beats %2$s with %3$s confidence — at these reply rates more sends would not decide it.',
				'almaseo-outreach'
			),
			...args
		);
	}
	return sprintf(
		/* translators: 1: leading variant, 2: the other variants, 3: confidence, 4: sends per variant */
		__(
			'%1$s beats %2$s with %3$s confidence — keep going: %4$d more sends per variant to decide.',
			'almaseo-outreach'
		),
		...args
	);
}

function autoWinnerSwitch(library, sequenceId, step) {
	const box = h('input', { type: 'checkbox', checked: step.auto_winner });
	box.disabled = !can('sequences');
	box.name = 'auto_winner';
	box.addEventListener('change', () => {
		box.disabled = true;
		get('/sequences/' + sequenceId)
			.then((sequence) =>
				patch('/sequences/' + sequenceId, {
					steps: sequence.steps.map((s, i) =>
						i + 1 === step.position
							? { ...s, auto_winner: box.checked }
							: s
					),
				})
			)
			.then(() =>
				notice(__('Auto-winner saved.', 'almaseo-outreach'), 'success')
			)
			.catch((error) => {
				box.checked = !box.checked;
				showError(library.target, error);
			})
			.finally(() => {
				box.disabled = !can('sequences');
			});
	});
	return h('label', { className: 'ao-exp-auto' }, [
		box,
		' ',
		__(
			'Auto-winner: once decided, send the leader to every new enrolment',
			'almaseo-outreach'
		),
	]);
}

function stepView(library, sequenceId, step, names) {
	return h(
		'section',
		{
			className: 'ao-exp-step',
			dataset: { position: String(step.position) },
		},
		[
			h('h4', {
				/* translators: %d: step number */
				text: sprintf(__('Step %d', 'almaseo-outreach'), step.position),
			}),
			h(
				'ul',
				{ className: 'ao-exp-variants' },
				step.variants.map((v) => bar(v, names))
			),
			h('p', { className: 'ao-exp-verdict', text: verdictWords(step) }),
			step.winner !== null
				? h('p', {
						className: 'ao-exp-winner',
						text: sprintf(
							/* translators: 1: variant letter, 2: date and time */
							__(
								'Winner %1$s has gone to every new enrolment since %2$s.',
								'almaseo-outreach'
							),
							letter(step.winner),
							when(step.winner_at)
						),
					})
				: null,
			autoWinnerSwitch(library, sequenceId, step),
		]
	);
}

function show(library, item) {
	clear(library.form);
	library.dirty = null;
	clearError(library.target);
	return Promise.all([
		get('/sequences/' + item.id + '/experiments'),
		loadTemplates(false),
	])
		.then(([data, templates]) => {
			const names = Object.fromEntries(
				templates.map((t) => [t.id, t.name])
			);
			library.form.append(
				h('h3', {
					className: 'ao-exp-title',
					text: sprintf(
						/* translators: %s: sequence name */
						__('Experiments: %s', 'almaseo-outreach'),
						item.name
					),
				}),
				h('p', {
					className: 'description',
					text: sprintf(
						/* translators: %d: confidence in percent */
						__(
							'Judged on human replies only (a Beta-Binomial model with a uniform prior); decided at %d %% confidence once every variant has its minimum sends.',
							'almaseo-outreach'
						),
						95
					),
				}),
				...data.steps.map((step) =>
					stepView(library, item.id, step, names)
				)
			);
		})
		.catch((error) => showError(library.target, error));
}

/**
 * The "Experiments" button of a sequence with an A/B-tested step (none otherwise).
 *
 * @param {Object} library The library's handles.
 * @param {Object} item    Sequence.
 * @return {Array} Buttons.
 */
export function experimentsButtons(library, item) {
	if (!(item.steps || []).some((s) => s.variants)) {
		return [];
	}
	return [
		h('button', {
			type: 'button',
			className: 'button button-small ao-experiments',
			text: __('Experiments', 'almaseo-outreach'),
			onClick: () => leave(library.target, () => show(library, item)),
		}),
	];
}
