import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_PRESENCE_CLIENTS_PER_CONNECTION,
  MAX_PRESENCE_STATE_BYTES,
  PRESENCE_BURST_BYTES,
  PRESENCE_BYTES_PER_SECOND
} from '../../server/src/sync/limits.ts';
import { connectBoard, createWorkshop, join, type BoardClient } from '../helpers/clients.ts';
import { openRaw, presenceMessage, type RawSocket } from '../helpers/raw-socket.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('presence (awareness) has bounds', () => {
  let server: TestServer;
  const cleanup: (() => void)[] = [];

  const setup = async (env: Record<string, string> = {}) => {
    server = await startServer(env);
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const ana = await join(server.url, ws.code, { name: 'Ana' });
    const mallory = await join(server.url, ws.code, { name: 'Mallory' });
    const watcher = connectBoard(server.wsUrl, boardId, ana.token);
    cleanup.push(() => watcher.destroy());
    await watcher.synced;
    const raw = (): RawSocket => {
      const s = openRaw(server.wsUrl, boardId, mallory.token);
      cleanup.push(() => s.ws.close());
      return s;
    };
    return { boardId, mallory, watcher, raw };
  };

  /** ClientIDs whose presence the watcher sees under this participant's real identity. */
  const seenFor = (watcher: BoardClient, participantId: string) =>
    [...watcher.provider.awareness.getStates()].filter(([, s]) => (s.user as { id?: string } | undefined)?.id === participantId).map(([id]) => id);

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) fn();
    await server.close();
  });

  it('drops a message with more entries than one connection may speak for', async () => {
    const { mallory, watcher, raw } = await setup();
    const m = raw();
    await m.opened;
    const fresh = Array.from({ length: 1000 }, (_, i) => ({ client: 1_000_000 + i, clock: 1, state: { n: i } }));
    m.send(presenceMessage(fresh));
    // Sent after the flood: once the watcher sees it, the flood would have arrived too.
    m.send(presenceMessage([{ client: 42, clock: 1, state: { marker: true } }]));
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(42)).toMatchObject({ marker: true }));
    expect(seenFor(watcher, mallory.participantId)).toEqual([42]);
  });

  it(`lets one connection speak for at most ${MAX_PRESENCE_CLIENTS_PER_CONNECTION} clientIDs`, async () => {
    const { mallory, watcher, raw } = await setup();
    const m = raw();
    await m.opened;
    for (let i = 0; i < 10; i++) m.send(presenceMessage([{ client: 500 + i, clock: 1, state: { n: i } }]));
    m.send(presenceMessage([{ client: 500, clock: 2, state: { marker: true } }]));
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(500)).toMatchObject({ marker: true }));
    expect(seenFor(watcher, mallory.participantId).sort()).toEqual([500, 501, 502, 503].slice(0, MAX_PRESENCE_CLIENTS_PER_CONNECTION));
  });

  it(`drops a state over ${MAX_PRESENCE_STATE_BYTES} bytes of UTF-8 (counting bytes, not characters)`, async () => {
    const { watcher, raw } = await setup();
    const m = raw();
    await m.opened;
    const wide = { t: 'ñ'.repeat(600) }; // 610 characters, 1,210 bytes
    const fits = { t: 'a'.repeat(MAX_PRESENCE_STATE_BYTES - 8) }; // {"t":"…"} is exactly the limit
    expect(Buffer.byteLength(JSON.stringify(fits))).toBe(MAX_PRESENCE_STATE_BYTES);
    m.send(presenceMessage([{ client: 7, clock: 1, state: wide }]));
    m.send(presenceMessage([{ client: 8, clock: 1, state: fits }]));
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(8)).toMatchObject(fits));
    expect(watcher.provider.awareness.getStates().has(7)).toBe(false);
  });

  it("frees a closed connection's presence bookkeeping", async () => {
    const { boardId, watcher, raw } = await setup();
    const room = server.app.rooms.peek(boardId)!;
    const before = room.awareness.meta.size;
    const m = raw();
    await m.opened;
    for (let i = 0; i < 4; i++) m.send(presenceMessage([{ client: 900 + i, clock: 1, state: { n: i } }]));
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().has(903)).toBe(true));
    expect(room.awareness.meta.size).toBe(before + 4);
    m.ws.close();
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().has(900)).toBe(false));
    expect(room.awareness.meta.size).toBe(before);
  });

  it('relays at most the presence budget of one connection per second, however fast it sends', async () => {
    // Every change goes out at once here, so only the per-connection budget bounds the relay.
    const { raw } = await setup({ AWARENESS_INTERVAL_MS: '0' });
    const observer = raw();
    const m = raw();
    await Promise.all([observer.opened, m.opened]);
    const started = performance.now();
    const state = (i: number) => ({ i, pad: 'x'.repeat(900) });
    for (let i = 1; i <= 100; i++) m.send(presenceMessage([{ client: 77, clock: i, state: state(i) }]));
    // A removal is never dropped: once the observer sees it, everything before it has arrived.
    m.send(presenceMessage([{ client: 77, clock: 101, state: null }]));
    await vi.waitFor(() => expect(observer.presence().some((e) => e.client === 77 && e.state === null)).toBe(true));
    const seconds = (performance.now() - started) / 1000;
    const relayed = observer.presence().filter((e) => e.client === 77 && e.state !== null);
    const allowed = Math.ceil((PRESENCE_BURST_BYTES + PRESENCE_BYTES_PER_SECOND * seconds) / 900);
    expect(relayed.length).toBeGreaterThan(0);
    expect(relayed.length).toBeLessThanOrEqual(allowed);
  });
});
