import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { WEB_ROOT } from '../helpers/browser.ts';
import { api, connectBoard, connectControl, createWorkshop, join } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** Opens /yjs/<boardId> with the given headers; resolves 'open' or the HTTP status of the refusal. */
function upgrade(server: TestServer, boardId: string, token: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}/yjs/${boardId}?token=${token}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => {});
  });
}

/** A Socket.io handshake over websocket with the given headers: 'connected' or the error. */
function handshake(server: TestServer, token: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(server.url, { auth: { token }, transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

describe('security headers', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('come with the HTML and the API: one CSP that allows the page and its own sockets, no framing, nosniff, no referrer', async () => {
    const server = await startServer({ MINGA_WEB_ROOT: WEB_ROOT });
    cleanup.push(() => server.close());
    const html = await fetch(`${server.url}/tablero/abc`);
    const apiRes = await fetch(`${server.url}/api/health`);
    for (const res of [html, apiRes]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toContain(`connect-src 'self' ${server.wsUrl}`);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    // Every inline script of the page is allowed by its hash, and nothing else inline is.
    const body = await html.text();
    const inline = [...body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    const scriptSrc = /script-src ([^;]*)/.exec(html.headers.get('content-security-policy')!)![1]!;
    for (const script of inline) expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });
});

describe('the Origin check of both sockets', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup(env: Record<string, string> = {}) {
    const server = await startServer(env);
    cleanup.push(() => server.close());
    const ws = await createWorkshop(server.url);
    const ana = await join(server.url, ws.code);
    return { server, boardId: ws.boards[0]!.id, token: ana.token };
  }

  it("refuses a foreign page even when it sends a matching Host header", async () => {
    const { server, boardId, token } = await setup();
    const evil = { Origin: 'http://evil.example', Host: 'evil.example' };
    expect(await upgrade(server, boardId, token, evil)).toBe(403);
    expect(await handshake(server, token, evil)).not.toBe('connected');
  });

  it("accepts the server's own listening address (127.0.0.1 and localhost), clients without Origin and the allowlist", async () => {
    const { server, boardId, token } = await setup({ ALLOWED_ORIGINS: 'https://partner.example' });
    const port = new URL(server.url).port;
    for (const Origin of [server.url, `http://localhost:${port}`, 'https://partner.example']) {
      expect(await upgrade(server, boardId, token, { Origin })).toBe('open');
      expect(await handshake(server, token, { Origin })).toBe('connected');
    }
    expect(await upgrade(server, boardId, token, {})).toBe('open');
    // Same host, another scheme or port: another origin.
    expect(await upgrade(server, boardId, token, { Origin: `https://127.0.0.1:${port}` })).toBe(403);
    expect(await upgrade(server, boardId, token, { Origin: `http://127.0.0.1:${Number(port) + 1}` })).toBe(403);
  });

  it('with PUBLIC_URL, accepts that origin (whatever Host the proxy sends) and not the listening address', async () => {
    const { server, boardId, token } = await setup({ PUBLIC_URL: 'https://minga.example/taller' });
    expect(await upgrade(server, boardId, token, { Origin: 'https://minga.example', Host: 'internal:3000' })).toBe('open');
    expect(await handshake(server, token, { Origin: 'https://minga.example' })).toBe('connected');
    expect(await upgrade(server, boardId, token, { Origin: server.url })).toBe(403);
    expect(await upgrade(server, boardId, token, { Origin: 'http://minga.example' })).toBe(403);
  });
});

describe('facilitator token rotation', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('issues a new facilitator token and revokes the old one at once on REST, Socket.io and the ws upgrade', async () => {
    const server = await startServer();
    cleanup.push(() => server.close());
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const old = ws.facilitatorToken;

    // Sockets open with the old token when it is rotated.
    const oldControl = await connectControl(server.url, old);
    const oldBoard = connectBoard(server.wsUrl, boardId, old);
    cleanup.push(() => oldControl.close(), () => oldBoard.destroy());
    await oldBoard.synced;
    const oldControlGone = new Promise<string>((resolve) => oldControl.once('disconnect', resolve));

    const rotated = await api<{ facilitatorToken: string }>(server.url, `/api/workshops/${ws.code}/facilitator-token`, { method: 'POST', token: old });
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.facilitatorToken;
    expect(fresh).not.toBe(old);

    expect(await oldControlGone).toBe('io server disconnect');
    await vi.waitFor(() => expect(oldBoard.closes.map((c) => c.code)).toContain(4401));
    expect((await api(server.url, '/api/me', { token: old })).status).toBe(401);
    await expect(connectControl(server.url, old)).rejects.toThrow();
    const refused = connectBoard(server.wsUrl, boardId, old);
    cleanup.push(() => refused.destroy());
    await vi.waitFor(() => expect(refused.closes.map((c) => c.code)).toContain(4401));
    expect((await api(server.url, `/api/workshops/${ws.code}/facilitator-token`, { method: 'POST', token: old })).status).toBe(401);

    // The new one works everywhere.
    expect((await api<{ role: string }>(server.url, '/api/me', { token: fresh })).body.role).toBe('facilitator');
    const control = await connectControl(server.url, fresh);
    cleanup.push(() => control.close());
    expect((await control.emitWithAck('session:command', { boardId, action: 'lock' })).ok).toBe(true);
    const board = connectBoard(server.wsUrl, boardId, fresh);
    cleanup.push(() => board.destroy());
    await board.synced;
  });

  it('is for the facilitator of that workshop only', async () => {
    const server = await startServer();
    cleanup.push(() => server.close());
    const ws = await createWorkshop(server.url);
    const other = await createWorkshop(server.url);
    const ana = await join(server.url, ws.code);
    const rotate = (token?: string) => api(server.url, `/api/workshops/${ws.code}/facilitator-token`, { method: 'POST', token });
    expect((await rotate()).status).toBe(401);
    expect((await rotate(ana.token)).status).toBe(403);
    expect((await rotate(other.facilitatorToken)).status).toBe(403);
    // Nothing was revoked by the refusals.
    expect((await api(server.url, '/api/me', { token: ws.facilitatorToken })).status).toBe(200);
  });
});
