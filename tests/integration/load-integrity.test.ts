import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { api, connectBoard, connectControl, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';

const Q = 'desafio-1-p1';

/** Two kinds of damage a stored row can carry: bytes that do not decode, and a valid update whose parent is missing. */
const DAMAGE: { name: string; bytes: () => Uint8Array }[] = [
  { name: 'bytes that do not decode', bytes: () => new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]) },
  {
    name: 'an update whose dependency is not stored',
    bytes: () => {
      // The second of two changes by one client, without the first: it applies as "pending".
      const doc = new Y.Doc();
      doc.getMap('ideas').set('a', new Y.Map());
      const before = Y.encodeStateVector(doc);
      (doc.getMap('ideas').get('a') as Y.Map<unknown>).set('text', 'huérfana');
      return Y.encodeStateAsUpdate(doc, before);
    }
  }
];

type Row = { id: number; board_id: string; data: Buffer };
const rowsOf = (file: string, boardId: string): Row[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[string], Row>('SELECT id, board_id, data FROM board_updates WHERE board_id = ? ORDER BY id').all(boardId);
  } finally {
    db.close();
  }
};

describe('load integrity: a stored update that fails to apply', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const client = (c: BoardClient) => {
    cleanup.push(() => c.destroy());
    return c;
  };

  for (const damage of DAMAGE) {
    it(`keeps the board closed, retryably and with a log line, on ${damage.name}; other boards work and no row changes`, async () => {
      const dir = mkdtempSync(joinPath(tmpdir(), 'minga-integrity-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = joinPath(dir, 'minga.db');
      // Compaction off: the ideas stay as log rows, so the damaged row sits among good ones.
      const env = { COMPACT_EVERY_UPDATES: '1000000' };
      const first = await startServerProcess(dir, env);
      cleanup.push(() => first.stop());
      const ws = await createWorkshop(first.url, ['desafio-1', 'desafio-2']);
      const [damaged, healthy] = ws.boards.map((b) => b.id) as [string, string];
      const ana = await join(first.url, ws.code, { name: 'Ana' });
      const who = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
      const writer = client(connectBoard(first.wsUrl, damaged, ana.token));
      await writer.synced;
      const ideas = [1, 2, 3].map((n) => postIdea(writer.doc, who, { text: `Idea ${n}`, questionId: Q }));
      const reader = client(connectBoard(first.wsUrl, damaged, ana.token));
      await vi.waitFor(() => expect(reader.doc.getMap('ideas').size).toBe(3));
      writer.destroy();
      reader.destroy();
      await first.kill9();

      // The damaged row goes between the good ones' end and anything later.
      const db = new Database(file);
      const { lastInsertRowid } = db
        .prepare('INSERT INTO board_updates (board_id, data, created_at) VALUES (?, ?, ?)')
        .run(damaged, Buffer.from(damage.bytes()), Date.now());
      db.close();
      const badId = Number(lastInsertRowid);
      const before = rowsOf(file, damaged);

      const second: ServerProcess = await startServerProcess(dir, env);
      cleanup.push(() => second.stop());
      const visitor = client(connectBoard(second.wsUrl, damaged, ana.token));
      // Closed with the retryable code, and retried (y-websocket only retries outside 4400–4499).
      await vi.waitFor(() => expect(visitor.closes.filter((c) => c.code === 4503).length).toBeGreaterThanOrEqual(2), { timeout: 15_000 });
      expect(visitor.provider.synced).toBe(false);
      expect(visitor.doc.getMap('ideas').size).toBe(0);

      const line = second
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'stored board failed to load; not opening it');
      expect(line).toMatchObject({ level: 50, boardId: damaged, updateId: badId });

      // The export refuses too, in both languages, rather than exporting a partial board.
      const exported = await api<{ code: string; message: string; messageEn: string }>(second.url, `/api/boards/${damaged}/export.json`, {
        token: ws.facilitatorToken
      });
      expect(exported.status).toBe(503);
      expect(exported.body).toMatchObject({ code: 'BOARD_UNAVAILABLE', message: expect.stringMatching(/tablero/), messageEn: expect.stringMatching(/board/) });

      const control = await connectControl(second.url, ws.facilitatorToken);
      cleanup.push(() => void control.close());
      const joined = await control.emitWithAck('board:join', { boardId: damaged });
      expect(joined).toMatchObject({ ok: false, error: { code: 'BOARD_UNAVAILABLE' } });

      // Another board of the same process keeps working.
      const a = client(connectBoard(second.wsUrl, healthy, ana.token));
      const b = client(connectBoard(second.wsUrl, healthy, ana.token));
      await Promise.all([a.synced, b.synced]);
      const id = postIdea(a.doc, who, { text: 'Sigue funcionando', questionId: 'desafio-2-p1' });
      await vi.waitFor(() => expect(b.doc.getMap('ideas').has(id)).toBe(true));

      // Nothing was dropped or rewritten.
      expect(rowsOf(file, damaged)).toEqual(before);

      // Once an operator removes the damaged row, the client that kept retrying gets the whole board.
      const fix = new Database(file);
      fix.prepare('DELETE FROM board_updates WHERE id = ?').run(badId);
      fix.close();
      await vi.waitFor(() => expect(visitor.provider.synced).toBe(true), { timeout: 15_000 });
      expect([...visitor.doc.getMap('ideas').keys()].sort()).toEqual([...ideas].sort());
    });
  }
});
