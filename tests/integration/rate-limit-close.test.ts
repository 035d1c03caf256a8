import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, followCloseCodes } from '../../web/src/lib/sync/close-codes.ts';
import { connectBoard, createWorkshop, join } from '../helpers/clients.ts';
import { startServer } from '../helpers/server.ts';

const QUERY_AWARENESS = new Uint8Array([3]);

describe('rate-limited content connections', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('are closed with the documented code, and the web app reconnects after a pause', async () => {
    const server = await startServer({ MESSAGES_PER_SECOND: '50', MESSAGE_BURST: '20' });
    cleanup.push(() => server.close());
    const ws = await createWorkshop(server.url);
    const ana = await join(server.url, ws.code);
    const client = connectBoard(server.wsUrl, ws.boards[0]!.id, ana.token);
    cleanup.push(() => client.destroy());
    // What the web app's BoardDoc does with its provider.
    const pauses: number[] = [];
    const failed: number[] = [];
    cleanup.push(followCloseCodes(client.provider, { paused: (ms) => pauses.push(ms), failed: (code) => failed.push(code) }, 300));
    await client.synced;

    for (let i = 0; i < 60; i++) client.provider.ws?.send(QUERY_AWARENESS);
    await vi.waitFor(() => expect(client.closes.length).toBe(1));
    expect(client.closes[0]!.code).toBe(CloseCode.RateLimited);
    expect(client.closes[0]!.code).toBe(4529); // docs/api.md
    expect(pauses).toEqual([300]);
    // y-websocket's own immediate retry is off: the pause decides when to come back.
    expect(client.provider.shouldConnect).toBe(false);

    await vi.waitFor(() => expect(client.provider.synced).toBe(true));
    expect(client.provider.wsconnected).toBe(true);
    expect(failed).toEqual([]);
  });
});
