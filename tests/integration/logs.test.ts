import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { apiFrom, connectControl, createWorkshop, join } from '../helpers/clients.ts';
import { startServer } from '../helpers/server.ts';

/** The real server's pino output (every level, JSON lines), captured as it is written. */
async function serverWithLogs() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const server = await startServer({}, undefined, { logStream: stream });
  return { server, logs: () => text };
}

/** A secret is in the logs as text, URL-encoded, or as the bytes of a serialised Buffer. */
function leaks(logs: string, secret: string): boolean {
  const bytes = [...Buffer.from(secret)].join(',');
  return logs.includes(secret) || logs.includes(encodeURIComponent(secret)) || logs.includes(bytes);
}

describe('logs', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('hold method, route and ids of a request that failed with a 500, never its headers or token', async () => {
    const { server, logs } = await serverWithLogs();
    cleanup.push(() => server.close());
    const ws = await createWorkshop(server.url);
    // The database is gone under the server: a real 500 through the real error handler.
    server.app.sqlite.close();
    const res = await apiFrom('127.0.0.1', server.url, `/api/workshops/${ws.code}?token=${ws.facilitatorToken}`, {
      headers: { authorization: `Bearer ${ws.facilitatorToken}`, cookie: `minga=${ws.facilitatorToken}` }
    });
    expect(res.status).toBe(500);
    await vi.waitFor(() => expect(logs()).toMatch(/request failed/));
    const failed = logs().split('\n').find((l) => l.includes('request failed'))!;
    expect(JSON.parse(failed)).toMatchObject({ method: 'GET', route: '/api/workshops/:code', url: `/api/workshops/${ws.code}` });
    expect(leaks(logs(), ws.facilitatorToken)).toBe(false);
    expect(logs()).not.toMatch(/authorization|cookie/i);
  });

  it('never print a token from a URL, a socket handshake or a malformed request', async () => {
    const { server, logs } = await serverWithLogs();
    cleanup.push(() => server.close());
    const ws = await createWorkshop(server.url);
    const ana = await join(server.url, ws.code);
    const boardId = ws.boards[0]!.id;

    // REST with the token in the query (the request logger prints the URL).
    expect((await apiFrom('127.0.0.1', server.url, `/api/me?token=${ana.token}`, { headers: { authorization: `Bearer ${ana.token}` } })).status).toBe(200);
    // The content plane: accepted, refused by origin, refused by token.
    const opened = new WebSocket(`${server.wsUrl}/yjs/${boardId}?token=${ana.token}`);
    await new Promise((resolve) => opened.once('open', resolve));
    opened.close();
    const foreign = new WebSocket(`${server.wsUrl}/yjs/${boardId}?token=${ana.token}`, { origin: 'https://evil.example' });
    foreign.on('error', () => {});
    await new Promise((resolve) => foreign.once('close', resolve));
    const forged = `${ana.token}x`;
    const refused = new WebSocket(`${server.wsUrl}/yjs/${boardId}?token=${forged}`);
    await new Promise((resolve) => refused.once('close', resolve));
    // The control plane: auth in the handshake, and in the query where a careless client puts it.
    const control = await connectControl(server.url, ana.token);
    control.close();
    const queried = io(server.url, { auth: { token: forged }, query: { token: forged }, transports: ['polling'], reconnection: false, forceNew: true });
    await new Promise((resolve) => queried.once('connect_error', resolve));
    queried.close();
    // A request Node's HTTP parser refuses (clientError keeps the raw bytes it read).
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => {
        socket.write(`GET /yjs/${boardId}?token=${ana.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n`);
      });
      socket.on('data', () => {});
      socket.on('close', () => resolve());
    });

    await vi.waitFor(() => expect(logs()).toMatch(/content connection refused[\s\S]*client error/));
    expect(logs()).toMatch(/websocket origin refused/);
    expect(logs()).toMatch(/control connection refused/);
    expect(leaks(logs(), ana.token)).toBe(false);
    expect(leaks(logs(), forged)).toBe(false);
  });
});
