/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Serves the app shell when the network is gone, so a page reloaded offline opens the board from
 * this device (its docs are in IndexedDB, see lib/offline). Caches only the build's own files and
 * the SPA page, never the API or the sockets: answers that name people or hold tokens stay out.
 * Pages: network first, the cached shell when offline. Built files: cache first (they are immutable
 * or change with `version`, which replaces the cache).
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `minga-shell-${version}`;
/** The SPA fallback page (adapter-static `fallback: 'index.html'`, served at `/`). */
const SHELL = '/';
const ASSETS = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	// Mostly from the HTTP cache: the page that registers this worker has just loaded these files.
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll([SHELL, ...ASSETS]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k.startsWith('minga-shell-') && k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.mode === 'navigate') {
		event.respondWith(page(request));
		return;
	}
	if (ASSETS.has(url.pathname)) event.respondWith(asset(request));
	// Anything else (/api, /yjs, /socket.io, exports) goes to the network untouched.
});

async function page(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		// Every client route answers with the shell; keep the newest one.
		if (response.ok && response.headers.get('content-type')?.includes('text/html')) void keepShell(response.clone());
		return response;
	} catch (err) {
		const shell = await caches.match(SHELL);
		if (shell) return shell;
		throw err;
	}
}

/** Refreshes the cached shell, but never recreates a cache that "Salir y borrar" deleted. */
async function keepShell(response: Response): Promise<void> {
	if (!(await caches.has(CACHE))) return;
	const cache = await caches.open(CACHE);
	await cache.put(SHELL, response);
}

async function asset(request: Request): Promise<Response> {
	const cached = await caches.match(request);
	return cached ?? fetch(request);
}
