/**
 * "Salir y borrar de este dispositivo": what this browser keeps of a workshop goes — its tokens,
 * the stored boards and docs (IndexedDB), and the app shell's cache and worker (public files, but
 * the person asked for a clean device).
 */
import { tokens } from '$lib/tokens';
import { forgetBoards } from './board-copy';
import { clearWorkshopDocs } from './local-doc';

/**
 * `leave` closes the board page (its docs hold the databases open, which blocks their deletion)
 * and resolves once it has; the databases are deleted after it.
 */
export async function forgetWorkshopHere(workshopCode: string, leave: () => Promise<void>): Promise<void> {
	tokens.forgetWorkshop(workshopCode);
	forgetBoards(workshopCode);
	await leave();
	await Promise.all([clearWorkshopDocs(workshopCode), clearAppCache()]);
}

/** The token stopped working (expired, person removed): the docs it opened here go too. */
export function forgetCopies(workshopCode: string, personId: string): void {
	forgetBoards(workshopCode);
	// Deleted once the board's docs let go of their databases.
	void clearWorkshopDocs(workshopCode, personId);
}

async function clearAppCache(): Promise<void> {
	try {
		// A worker still installing would fill its cache after we deleted it: let it finish first,
		// then unregister, then delete (the worker itself never recreates a deleted cache).
		const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
		await Promise.all(registrations.map(installed));
		await Promise.all(registrations.map((r) => r.unregister()));
		const keys = await caches.keys();
		await Promise.all(keys.filter((k) => k.startsWith('minga-shell-')).map((k) => caches.delete(k)));
	} catch {
		// no Cache Storage here (plain http on another host): nothing was cached
	}
}

/** Resolves once the registration has no worker installing (or after 5 s, not to hang the exit). */
function installed(registration: ServiceWorkerRegistration): Promise<void> {
	const worker = registration.installing;
	if (!worker) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => {
			if (worker.state === 'installing') return;
			worker.removeEventListener('statechange', done);
			resolve();
		};
		worker.addEventListener('statechange', done);
		setTimeout(resolve, 5000);
	});
}
