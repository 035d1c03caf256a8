import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Serves the built SvelteKit app (a static single-page build) from the same process, with
 * index.html as the fallback for client-side routes such as /tablero/<id>.
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
      setHeaders(res, path) {
        res.setHeader('cache-control', path.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
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
