import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SyncType } from '../../server/src/sync/protocol.ts';
import { connectBoard, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { openRaw, readSync, syncMessage, type RawSocket } from '../helpers/raw-socket.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';
const nextTick = () => new Promise((resolve) => setImmediate(resolve));
const marker = (writer: number, i: number) => `[w${writer}:${String(i).padStart(3, '0')}]`;

/** The update messages a raw socket received, as bytes to search. */
const updatesOf = (s: RawSocket) => s.received.filter((m) => readSync(m)?.type === SyncType.Update).map((m) => Buffer.from(m));

/**
 * Every marker of every writer is in exactly one of the socket's update messages, and each
 * writer's markers arrive in the order they were written.
 */
function expectOnceInOrder(s: RawSocket, writers: number, perWriter: number): void {
  const messages = updatesOf(s);
  for (let w = 0; w < writers; w++) {
    let last = -1;
    for (let i = 0; i < perWriter; i++) {
      const carrying = messages.flatMap((m, at) => (m.includes(marker(w, i)) ? [at] : []));
      expect(carrying, `${marker(w, i)} delivered once`).toHaveLength(1);
      expect(carrying[0]!, `${marker(w, i)} after ${marker(w, i - 1)}`).toBeGreaterThanOrEqual(last);
      last = carrying[0]!;
    }
  }
}

describe('broadcast pacing (issue 10): a send budget per room', () => {
  let server: TestServer;
  const cleanup: (() => void)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) fn();
    vi.restoreAllMocks();
    await server.close();
  });

  it('does not hold back a small room: each tick\'s update is stored and broadcast on its own, once and in order', async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const ana = await join(server.url, ws.code, { name: 'Ana' });
    const beto = await join(server.url, ws.code, { name: 'Beto' });
    const anaWho = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
    const watcher: BoardClient = connectBoard(server.wsUrl, boardId, beto.token);
    const observer = openRaw(server.wsUrl, boardId, beto.token);
    const writer = openRaw(server.wsUrl, boardId, ana.token);
    cleanup.push(() => watcher.destroy(), () => observer.ws.close(), () => writer.ws.close());
    await Promise.all([watcher.synced, observer.opened, writer.opened]);
    const room = server.app.rooms.peek(boardId)!;
    const connection = [...room.connections].find((c) => c.identity.id === ana.participantId)!;

    // One update per event-loop tick, handed to Ana's real connection as if each frame came in
    // its own TCP read, faster than any fixed pause would let through.
    const COUNT = 30;
    const append = vi.spyOn(server.app.boardStorage, 'append');
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const doc = new Y.Doc();
      ids.push(postIdea(doc, anaWho, { text: `idea ${marker(0, i)}`, questionId: Q1 }));
      connection.receive(syncMessage(SyncType.Update, Y.encodeStateAsUpdate(doc)));
      await nextTick();
      // Stored (and handed to the sockets) before the next tick's update arrived.
      expect(append).toHaveBeenCalledTimes(i + 1);
    }
    await vi.waitFor(() => expect(ids.every((id) => watcher.doc.getMap('ideas').has(id))).toBe(true));
    await vi.waitFor(() => expect(updatesOf(observer).filter((m) => m.includes('[w0:')).length).toBe(COUNT));
    expectOnceInOrder(observer, 1, COUNT);
  });

  it('delivers every update once and in order in a room of 300 sockets, to raw sockets and providers alike', { timeout: 60_000 }, async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const WRITERS = 3;
    const PER_WRITER = 40;
    const OBSERVER_PEOPLE = 6;
    const SOCKETS_EACH = 50;
    const people = await Promise.all(Array.from({ length: WRITERS + OBSERVER_PEOPLE }, (_, i) => join(server.url, ws.code, { name: `P${i}` })));
    const writers = people
      .slice(0, WRITERS)
      .map((p, k) => ({ who: { id: p.participantId, name: `P${k}`, sector: 'comunidad' }, client: connectBoard(server.wsUrl, boardId, p.token) }));
    cleanup.push(...writers.map((w) => () => w.client.destroy()));
    const observers = people.slice(WRITERS).flatMap((p) => Array.from({ length: SOCKETS_EACH }, () => openRaw(server.wsUrl, boardId, p.token)));
    cleanup.push(...observers.map((o) => () => o.ws.close()));
    await Promise.all([...writers.map((w) => w.client.synced), ...observers.map((o) => o.opened)]);
    const room = server.app.rooms.peek(boardId)!;
    expect(room.connections.size).toBe(WRITERS + OBSERVER_PEOPLE * SOCKETS_EACH);

    // The writers take turns, one idea per tick each, as a busy workshop's edits arrive.
    const ids: string[] = [];
    for (let i = 0; i < PER_WRITER; i++) {
      for (let w = 0; w < WRITERS; w++) {
        ids.push(postIdea(writers[w]!.client.doc, writers[w]!.who, { text: `idea ${marker(w, i)}`, questionId: Q1 }));
        await nextTick();
      }
    }
    const total = WRITERS * PER_WRITER;
    await vi.waitFor(() => expect(observers.every((o) => updatesOf(o).filter((m) => m.includes('[w')).length > 0)).toBe(true), { timeout: 20_000 });
    await vi.waitFor(
      () => {
        for (const o of observers) for (let w = 0; w < WRITERS; w++) expect(updatesOf(o).some((m) => m.includes(marker(w, PER_WRITER - 1)))).toBe(true);
      },
      { timeout: 20_000 }
    );
    for (const o of observers) expectOnceInOrder(o, WRITERS, PER_WRITER);
    // The real providers converge on every idea, and the server refused none.
    await vi.waitFor(() => {
      for (const w of writers) expect(ids.filter((id) => w.client.doc.getMap('ideas').has(id))).toHaveLength(total);
    });
    for (const w of writers) expect(w.client.denials).toEqual([]);
    expect(ids.filter((id) => room.doc.getMap('ideas').has(id))).toHaveLength(total);
  });
});
