import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SyncType } from '../../server/src/sync/protocol.ts';
import { connectBoard, createWorkshop, ideaText, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { openRaw, readSync, syncMessage, type RawSocket } from '../helpers/raw-socket.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';
const BURST = 10;

describe('batching: the updates of one event-loop tick', () => {
  let server: TestServer;
  const cleanup: (() => void)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0)) fn();
    vi.restoreAllMocks();
    await server.close();
  });

  it('share one SQLite transaction and one broadcast, and are all stored and delivered', async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const ana = await join(server.url, ws.code, { name: 'Ana' });
    const beto = await join(server.url, ws.code, { name: 'Beto' });
    const anaWho = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
    const watcher: BoardClient = connectBoard(server.wsUrl, boardId, beto.token);
    const observer: RawSocket = openRaw(server.wsUrl, boardId, beto.token);
    const writer: RawSocket = openRaw(server.wsUrl, boardId, ana.token);
    cleanup.push(() => watcher.destroy(), () => observer.ws.close(), () => writer.ws.close());
    await Promise.all([watcher.synced, observer.opened, writer.opened]);
    const room = server.app.rooms.peek(boardId)!;
    const connection = [...room.connections].find((c) => c.identity.id === ana.participantId)!;

    // Ten updates handed to Ana's real connection within one tick, as ten frames read from one
    // TCP chunk would be.
    const texts = Array.from({ length: BURST }, (_, i) => `lote-${i}`);
    const ids = texts.map((text) => {
      const doc = new Y.Doc();
      const id = postIdea(doc, anaWho, { text, questionId: Q1 });
      return { id, message: syncMessage(SyncType.Update, Y.encodeStateAsUpdate(doc)) };
    });
    const append = vi.spyOn(server.app.boardStorage, 'append');
    for (const { message } of ids) connection.receive(message);
    await vi.waitFor(() => expect(ids.every(({ id }) => watcher.doc.getMap('ideas').has(id))).toBe(true));
    expect(append).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0]![1]).toHaveLength(BURST);

    // A later update, in a tick of its own: once it arrives, every broadcast of the burst has too.
    const later = new Y.Doc();
    const marker = postIdea(later, anaWho, { text: 'después', questionId: Q1 });
    writer.send(syncMessage(SyncType.Update, Y.encodeStateAsUpdate(later)));
    await vi.waitFor(() => expect(ideaText(watcher.doc, marker)).toBe('después'));
    expect(append).toHaveBeenCalledTimes(2);
    const carrying = observer.received.filter((m) => readSync(m)?.type === SyncType.Update && Buffer.from(m).includes('lote-'));
    expect(carrying).toHaveLength(1);
    for (const text of texts) expect(Buffer.from(carrying[0]!).includes(text)).toBe(true);

    // Durable: the log replayed into a fresh doc has every idea of the burst.
    const rows = server.app.sqlite.prepare('SELECT data FROM board_updates WHERE board_id = ? ORDER BY id').all(boardId) as { data: Buffer }[];
    const stored = new Y.Doc();
    for (const r of rows) Y.applyUpdate(stored, new Uint8Array(r.data));
    for (const { id } of ids) expect(stored.getMap('ideas').has(id)).toBe(true);
  });
});
