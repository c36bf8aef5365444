/**
 * Outreach → Board (entry module; src/AdminPage.php enqueues it on that screen only).
 */
import { mountBoard } from './board/page.js';

const start = () => {
	const app = document.getElementById('ao-app');
	if (app) {
		mountBoard(app);
	}
};

if (document.readyState === 'loading') {
	document.addEventListener('DOMContentLoaded', start);
} else {
	start();
}
