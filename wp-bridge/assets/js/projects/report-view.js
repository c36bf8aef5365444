/**
 * A project's Report view (docs/api.md §19): what it won in the last 30 days, and the
 * share link a client opens without a login ("Copy share link", "Revoke").
 */
import { __, sprintf } from '../common/i18n.js';
import { h } from '../common/dom.js';
import { del, get, post } from '../common/api.js';
import { can } from '../common/config.js';
import { notice } from '../common/notices.js';
import { button } from '../common/controls.js';
import { showError } from '../common/modal.js';

function linksTable(links) {
	if (!links.length) {
		return h('p', {
			text: __('No won link in this period yet.', 'almaseo-outreach'),
		});
	}
	const cells = (link) =>
		[
			link.source_url,
			link.target_url || '',
			link.anchor_text || '',
			link.status,
		].map((text) => h('td', { text }));
	return h('table', { className: 'widefat striped ao-report-links' }, [
		h('thead', {}, [
			h(
				'tr',
				{},
				[
					__('Linking page', 'almaseo-outreach'),
					__('Links to', 'almaseo-outreach'),
					__('Anchor text', 'almaseo-outreach'),
					__('Status', 'almaseo-outreach'),
				].map((text) => h('th', { scope: 'col', text }))
			),
		]),
		h(
			'tbody',
			{},
			links.map((link) => h('tr', {}, cells(link)))
		),
	]);
}

function shareControls(project, target) {
	const url = h('input', {
		type: 'text',
		readOnly: true,
		className: 'regular-text ao-share-url',
		'aria-label': __('Share link', 'almaseo-outreach'),
	});
	let shareId = null;
	const copy = () =>
		post('/projects/' + project.id + '/shares', {})
			.then((share) => {
				shareId = share.id;
				url.value = share.url;
				const clip = window.navigator.clipboard;
				return clip
					? clip.writeText(share.url).catch(() => null)
					: null;
			})
			.then(() =>
				notice(__('Share link copied.', 'almaseo-outreach'), 'success')
			)
			.catch((error) => showError(target, error));
	const revoke = () =>
		(shareId
			? Promise.resolve([{ id: shareId }])
			: get('/projects/' + project.id + '/shares')
		)
			.then((shares) =>
				Promise.all(
					shares.map((s) =>
						del('/projects/' + project.id + '/shares/' + s.id)
					)
				)
			)
			.then(() => {
				shareId = null;
				url.value = '';
				notice(
					__('Share links revoked.', 'almaseo-outreach'),
					'success'
				);
			})
			.catch((error) => showError(target, error));
	return h('p', { className: 'ao-share' }, [
		url,
		button(
			__('Copy share link', 'almaseo-outreach'),
			copy,
			'ao-copy-share'
		),
		button(__('Revoke', 'almaseo-outreach'), revoke, 'ao-revoke-share'),
	]);
}

/**
 * Show a project's report in the Projects dialog (replacing what it showed).
 *
 * @param {Object} project Project.
 * @param {Object} target  Modal handles.
 * @return {Promise} Shown.
 */
export function reportView(project, target) {
	return get('/projects/' + project.id + '/report')
		.then((report) => {
			const view = h('section', { className: 'ao-report' }, [
				h('h3', {
					text: sprintf(
						/* translators: %s: project name */
						__('Report: %s', 'almaseo-outreach'),
						project.name
					),
				}),
				h('p', {
					text: sprintf(
						/* translators: 1: links, 2: emails sent, 3: replies */
						__(
							'%1$d won links, %2$d emails sent, %3$d replies',
							'almaseo-outreach'
						),
						report.links.length,
						report.emails.sent,
						report.emails.replied
					),
				}),
				linksTable(report.links),
				can('edit') ? shareControls(project, target) : null,
			]);
			const old = target.body.querySelector('.ao-report');
			if (old) {
				old.replaceWith(view);
			} else {
				target.body.append(view);
			}
		})
		.catch((error) => showError(target, error));
}
