import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';

/** `'sha256-…'` of every inline `<script>` in the built pages (SvelteKit's bootstrap script). */
export function inlineScriptHashes(webRoot: string | null): string[] {
  if (!webRoot || !existsSync(webRoot)) return [];
  const hashes = new Set<string>();
  for (const file of readdirSync(webRoot).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(join(webRoot, file), 'utf8');
    for (const [, script] of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
      hashes.add(`'sha256-${createHash('sha256').update(script!).digest('base64')}'`);
    }
  }
  return [...hashes];
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The app's own WebSocket origin: PUBLIC_URL's, else the one the page was served from. */
function ownWebSocketOrigins(publicUrl: string | null, req: IncomingMessage): string {
  if (publicUrl) return publicUrl.replace(/^http/, 'ws');
  const host = req.headers.host ?? '';
  // CSP Level 3 lets 'self' cover ws(s): of the same host; older browsers need it spelled out.
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * The security headers of every answer (HTML, API, files), from @fastify/helmet: the one
 * Content-Security-Policy of the app (scripts only from the app's files plus the hashes of the
 * build's inline bootstrap; sockets only to the app itself; no framing), nosniff, no referrer.
 */
export default fp(
  async (app, opts: { webRoot: string | null }) => {
    const { publicUrl } = app.config;
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", ...inlineScriptHashes(opts.webRoot)],
          // Components set style attributes (positions while dragging, the editor's cursors).
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'", (req) => ownWebSocketOrigins(publicUrl, req)],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"]
        }
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // HSTS only where the app is served over https; on a room's Wi-Fi it is plain http.
      strictTransportSecurity: publicUrl?.startsWith('https:') ? { maxAge: 15_552_000, includeSubDomains: false } : false
    });
  },
  { name: 'security-headers', dependencies: ['database'] }
);
