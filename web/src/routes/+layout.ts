// Minga is a single-page app served by the one Fastify process (svelte.config.js).
export const ssr = false;
export const prerender = false;
