import fastifyStatic, { type SetHeadersResponse } from '@fastify/static';
import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { withBoardPreview } from '../../web/board-preview.ts';
import { routePreloads } from '../../web/route-preloads.ts';

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
    const indexHtml = readFileSync(join(root, 'index.html'), 'utf8');
    const boardFiles = routePreloads(root, '/tablero/[id]');
    if (!boardFiles) app.log.warn({ root }, 'board route files not found in the build: board pages go without preloads');
    // A board's page comes with its title and questions in the HTML (server/src/web/board-preview.ts).
    app.get<{ Params: { boardId: string } }>('/tablero/:boardId', async (req, reply) => {
      const board = await app.workshops.board(req.params.boardId);
      const challenge = board && (await app.challenges.get(board.challengeId));
      if (!challenge) return reply.sendFile('index.html');
      const html = withBoardPreview(indexHtml, challenge, boardFiles);
      const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
      reply.header('cache-control', REVALIDATE_CACHE).header('vary', 'accept-encoding').header('etag', etag).type('text/html; charset=utf-8');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      const accepts = req.headers['accept-encoding'] ?? '';
      // A few KB: brotli's quality 5 takes well under a millisecond and is within 10 % of 11.
      if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(brotliCompressSync(html, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }));
      if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(gzipSync(html));
      return reply.send(html);
    });
    // Every built file has its own route (wildcard: false); any other path is a client-side route.
    app.get('/*', (req, reply) => {
      if (req.url.startsWith('/api/') || req.url.startsWith('/_app/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  },
  { name: 'web', dependencies: ['domain'] }
);
