import fastifyStatic, { type SetHeadersResponse } from '@fastify/static';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Hashed build output: its name changes with its content, so a browser may keep it for good. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** Everything else (HTML, service worker, favicon): keep, but ask the server (ETag) before use. */
export const REVALIDATE_CACHE = 'no-cache';

function cacheHeaders(res: SetHeadersResponse, path: string) {
  res.setHeader('cache-control', path.includes('/_app/immutable/') ? IMMUTABLE_CACHE : REVALIDATE_CACHE);
  // The body depends on Accept-Encoding (the build's .br/.gz); caches must keep them apart.
  res.setHeader('vary', 'accept-encoding');
}

/**
 * Serves the built SvelteKit app (a static single-page build) from the same process, with
 * index.html as the fallback for client-side routes such as /tablero/<id>. Files go out as the
 * build precompressed them (brotli, else gzip, else as is, by Accept-Encoding).
 */
export default fp(
  async (app, opts: { root: string | null }) => {
    const root = opts.root;
    if (!root || !existsSync(join(root, 'index.html'))) {
      app.log.warn({ root }, 'web app not built: serving the API only (npm start builds it)');
      return;
    }
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      preCompressed: true,
      // send's own Cache-Control (max-age=0) would overwrite the one cacheHeaders sets.
      cacheControl: false,
      setHeaders: cacheHeaders
    });
    app.get('/', (_req, reply) => reply.sendFile('index.html'));
    // Every built file has its own route (wildcard: false); any other path is a client-side route.
    app.get('/*', (req, reply) => {
      if (req.url.startsWith('/api/') || req.url.startsWith('/_app/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  },
  { name: 'web' }
);
