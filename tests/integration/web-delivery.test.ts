import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../helpers/browser.ts';
import { createWorkshop } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** A GET with node:http, which (unlike fetch) hands back the body exactly as it came over the wire. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * How the built web app goes out (issue 11, weak connections): compressed as the build
 * precompressed it, hashed files cached for a year, everything else revalidated.
 */
describe('web app delivery', () => {
  let server: TestServer;
  // The build's largest script (a few bytes would not shrink).
  const entryPath = readdirSync(join(WEB_ROOT, '_app/immutable'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => `/_app/immutable/${f}`)
    .sort((a, b) => statSync(join(WEB_ROOT, b)).size - statSync(join(WEB_ROOT, a)).size)[0]!;
  const entryBytes = readFileSync(join(WEB_ROOT, entryPath));

  beforeAll(async () => {
    server = await startServer({ MINGA_WEB_ROOT: WEB_ROOT });
  });
  afterAll(() => server?.close());

  it('sends a hashed script as brotli to a browser that accepts it, and it decodes to the built file', async () => {
    const res = await get(server.url + entryPath, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.body.length).toBeLessThan(entryBytes.length);
    expect(brotliDecompressSync(res.body).equals(entryBytes)).toBe(true);
  });

  it('sends gzip when brotli is not accepted, and the plain file when nothing is', async () => {
    const gz = await get(server.url + entryPath, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(entryBytes)).toBe(true);
    const plain = await get(server.url + entryPath);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(entryBytes)).toBe(true);
  });

  it('lets browsers keep hashed files for a year without asking again', async () => {
    for (const encoding of ['br', 'identity']) {
      const res = await get(server.url + entryPath, { 'accept-encoding': encoding });
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('makes browsers revalidate the page and unhashed files, and answers an unchanged one with 304', async () => {
    for (const path of ['/', '/tablero/some-board', '/favicon.svg']) {
      const res = await get(server.url + path, { 'accept-encoding': 'br' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers.etag, path).toBeTruthy();
      const again = await get(server.url + path, { 'accept-encoding': 'br', 'if-none-match': res.headers.etag as string });
      expect(again.status, path).toBe(304);
    }
    const page = await get(server.url + '/tablero/some-board', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(page.body).toString()).toBe(readFileSync(join(WEB_ROOT, 'index.html'), 'utf8'));
  });

  it("puts a board's title and questions in its page's HTML, compressed, revalidated with its ETag", async () => {
    const ws = await createWorkshop(server.url, ['desafio-8']);
    const boardId = ws.boards[0]!.id;
    const info = (await (await fetch(`${server.url}/api/boards/${boardId}`)).json()) as { challenge: { title: string; questions: { text: string }[] } };
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    const res = await get(`${server.url}/tablero/${boardId}`, { 'accept-encoding': 'gzip, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('no-cache');
    const html = brotliDecompressSync(res.body).toString();
    expect(html).toContain(`<h1 lang="es">${escape(info.challenge.title)}</h1>`);
    for (const q of info.challenge.questions) expect(html).toContain(`<h2 lang="es">${escape(q.text)}</h2>`);
    // The board route's own node is fetched with the page, not a round trip later.
    expect(html).toMatch(/<link rel="modulepreload" href="\/_app\/immutable\/nodes\/\d+\.[^"]+\.js">/);
    // Still the app: the same bootstrap script (its CSP hash) as every other page.
    expect(html).toContain(/<script>[\s\S]*?<\/script>/.exec(readFileSync(join(WEB_ROOT, 'index.html'), 'utf8'))![0]);
    const again = await get(`${server.url}/tablero/${boardId}`, { 'accept-encoding': 'br', 'if-none-match': res.headers.etag as string });
    expect(again.status).toBe(304);
    const plain = await get(`${server.url}/tablero/${boardId}`);
    expect(plain.body.toString()).toBe(html);
  });
});
