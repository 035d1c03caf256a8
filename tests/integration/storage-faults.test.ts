import Database from 'better-sqlite3';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectBoard, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const QA = 'desafio-1-p1';
const QB = 'desafio-2-p1';
/** What a sender is told when the server could not store its change (docs/api.md, close 4500). */
const STORAGE_CLOSE = { code: 4500, reason: expect.stringMatching(/^No pudimos guardar .+ \/ Your change was not saved/) };

const hasIdea = (c: BoardClient, id: string) => c.doc.getMap('ideas').has(id);

describe('storage faults: an append that fails', () => {
  let server: TestServer;
  let clients: BoardClient[] = [];
  let boards: [string, string];
  let people: { token: string; who: { id: string; name: string; sector: string } }[];

  const open = async (boardId: string, person: number) => {
    const c = connectBoard(server.wsUrl, boardId, people[person]!.token);
    clients.push(c);
    await c.synced;
    return c;
  };

  beforeEach(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url, ['desafio-1', 'desafio-2']);
    boards = ws.boards.map((b) => b.id) as [string, string];
    people = [];
    for (const name of ['Ana', 'Beto', 'Carla']) {
      const p = await join(server.url, ws.code, { name });
      people.push({ token: p.token, who: { id: p.participantId, name, sector: 'comunidad' } });
    }
  });

  afterEach(async () => {
    for (const c of clients) c.destroy();
    clients = [];
    await server.close();
  });

  /**
   * Waits until `watcher` holds a presence field that `other` set now: presence set after the
   * failed write passes through the same room and socket, so anything the room had broadcast
   * before it would have arrived by then.
   */
  const awaitLaterMessage = async (watcher: BoardClient, other: BoardClient, mark: number) => {
    other.provider.awareness.setLocalStateField('probe', mark);
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(other.doc.clientID)?.probe).toBe(mark));
  };

  it('on an I/O error on one board: nothing is broadcast, the sender is told and keeps its change, the room reloads from disk, other boards keep writing', async () => {
    const [a, b] = boards;
    const sender = await open(a, 0);
    const reader = await open(a, 1);
    const bystander = await open(a, 2);
    const [b1, b2] = [await open(b, 0), await open(b, 1)];
    const before = postIdea(sender.doc, people[0]!.who, { text: 'Antes de la falla', questionId: QA });
    await vi.waitFor(() => expect(hasIdea(reader, before)).toBe(true));

    // A fault on board A's rows only, raised by SQLite inside the real append transaction.
    const outside = new Database(joinPath(server.dir, 'minga.db'));
    outside.exec(
      `CREATE TRIGGER fault_append BEFORE INSERT ON board_updates WHEN NEW.board_id = '${a}'
       BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END`
    );
    try {
      const during = postIdea(sender.doc, people[0]!.who, { text: 'Durante la falla', questionId: QA });
      await vi.waitFor(() => expect(sender.closes).toContainEqual(STORAGE_CLOSE));
      // The sender keeps its change (y-websocket resends it on reconnect).
      expect(hasIdea(sender, during)).toBe(true);

      // Board B keeps writing and broadcasting meanwhile.
      const onB = postIdea(b1.doc, people[0]!.who, { text: 'Otro tablero', questionId: QB });
      await vi.waitFor(() => expect(hasIdea(b2, onB)).toBe(true));

      // The others on board A stay connected and never get the unsaved idea.
      await awaitLaterMessage(reader, bystander, 1);
      expect(hasIdea(reader, during)).toBe(false);
      expect(hasIdea(bystander, during)).toBe(false);
      expect(reader.closes).toEqual([]);
      expect(bystander.closes).toEqual([]);

      // The room holds what the disk holds: a client that arrives now syncs without it.
      const late = await open(a, 1);
      expect(hasIdea(late, before)).toBe(true);
      expect(hasIdea(late, during)).toBe(false);
      expect(server.app.rooms.peek(a)!.doc.getMap('ideas').has(during)).toBe(false);

      outside.exec('DROP TRIGGER fault_append');
      // The sender's retry lands: stored, then broadcast to everyone.
      await vi.waitFor(() => {
        expect(hasIdea(reader, during)).toBe(true);
        expect(hasIdea(late, during)).toBe(true);
      });
      const rows = outside.prepare<[string], { n: number }>('SELECT count(*) AS n FROM board_updates WHERE board_id = ?').get(a)!;
      expect(rows.n).toBeGreaterThan(0);
    } finally {
      outside.close();
    }
    expect(sender.denials).toEqual([]);
  });

  it('on a full disk (SQLITE_FULL): the sender is told, nothing is broadcast, and the change lands once there is room again', async () => {
    const [a, b] = boards;
    const sender = await open(a, 0);
    const reader = await open(a, 1);
    const bystander = await open(a, 2);
    const sqlite = server.app.sqlite;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    const posted: string[] = [];
    try {
      // Posts fill the free space in the pages SQLite already has; then the disk is "full".
      for (let i = 0; i < 200 && !sender.closes.some((c) => c.code === 4500); i++) {
        const id = postIdea(sender.doc, people[0]!.who, { text: `Idea ${i} `.padEnd(480, 'x'), questionId: QA });
        posted.push(id);
        await vi.waitFor(() => expect(hasIdea(reader, id) || sender.closes.some((c) => c.code === 4500)).toBe(true));
      }
      expect(sender.closes).toContainEqual(STORAGE_CLOSE);
      const unsaved = posted.at(-1)!;
      await awaitLaterMessage(reader, bystander, 2);
      expect(hasIdea(reader, unsaved)).toBe(false);
      expect(reader.closes).toEqual([]);
      // The process serves on: another board still syncs for someone arriving now.
      const other = await open(b, 2);
      expect(other.provider.synced).toBe(true);

      sqlite.pragma('max_page_count = 1073741823');
      await vi.waitFor(() => expect(hasIdea(reader, unsaved)).toBe(true), { timeout: 15_000 });
      for (const id of posted) expect(hasIdea(reader, id)).toBe(true);
    } finally {
      sqlite.pragma('max_page_count = 1073741823');
    }
  });
});
