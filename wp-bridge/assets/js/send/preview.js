/**
 * An email filled in for a card, as the service renders it: subject, missing
 * placeholders, the HTML part in a sandboxed frame and the text part.
 */
import { __, sprintf } from '../common/i18n.js';
import { h, clear } from '../common/dom.js';

/**
 * The frame for the HTML part: sandboxed (no scripts, no same origin).
 *
 * @param {boolean} hidden Hidden until a preview arrives.
 * @return {window.HTMLElement} Frame.
 */
export const htmlFrame = (hidden) =>
	h('iframe', {
		className: 'ao-preview-html',
		sandbox: '',
		hidden,
		title: __('HTML version', 'almaseo-outreach'),
	});

function missingLine(missing) {
	return h('p', {
		className: 'ao-preview-missing notice notice-warning',
		text: sprintf(
			/* translators: %s: list of placeholders */
			__(
				'No value for: %s. Sending would be refused.',
				'almaseo-outreach'
			),
			missing.join(', ')
		),
	});
}

/**
 * Show the service's preview in `node`.
 *
 * @param {window.HTMLElement} node   Where.
 * @param {Object}             result POST /templates/preview's answer.
 */
export function showPreview(node, result) {
	clear(node);
	node.hidden = false;
	const frame = htmlFrame(false);
	frame.srcdoc = result.html || '';
	node.append(
		h('h3', { text: __('Preview', 'almaseo-outreach') }),
		h('p', { className: 'ao-preview-subject' }, [
			h('strong', { text: __('Subject:', 'almaseo-outreach') }),
			' ',
			result.subject,
		]),
		result.missing && result.missing.length
			? missingLine(result.missing)
			: '',
		frame,
		h('pre', { className: 'ao-preview-text', text: result.text || '' })
	);
}
