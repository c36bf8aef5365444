/**
 * Move to…: a card's column and whether it goes to the top or the bottom.
 */
import { __ } from '../common/i18n.js';
import { post } from '../common/api.js';
import { columnOptions } from '../common/labels.js';
import { description } from '../common/controls.js';
import { form } from '../common/form.js';
import { cardModal, footer } from '../common/modal.js';
import { saveButton } from '../common/save.js';

export function moveDialog(card) {
	const target = cardModal(
		card,
		/* translators: %s: domain */ __('Move %s to…', 'almaseo-outreach'),
		'move'
	);
	const fields = form('Move', [
		{
			name: 'status',
			label: __('Column', 'almaseo-outreach'),
			type: 'select',
			options: columnOptions,
			value: card.status,
		},
		{
			name: 'position',
			label: __('Position', 'almaseo-outreach'),
			type: 'select',
			options: [
				['end', __('At the bottom', 'almaseo-outreach')],
				['top', __('At the top', 'almaseo-outreach')],
			],
			value: 'end',
		},
	]);
	target.body.append(
		...fields.nodes,
		description(
			__(
				'Tip: on a focused card, Alt+Arrow keys move it too.',
				'almaseo-outreach'
			)
		)
	);
	const move = () => {
		const { status, position } = fields.fields;
		const data = { status: status.control.value };
		if (position.control.value === 'top') {
			data.position = 0;
		}
		return post('/opportunities/' + card.id + '/move', data);
	};
	footer(target, [
		saveButton(
			target,
			__('Move', 'almaseo-outreach'),
			move,
			__('Card moved.', 'almaseo-outreach')
		),
	]);
}
