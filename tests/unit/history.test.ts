import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createDb, type DbHandle } from '../../db/client.ts';
import { seedDatabase } from '../../seed/seed.ts';
import { BoardHistory } from '../../server/src/history/board-history.ts';
import { restoreContent } from '../../server/src/history/restore-content.ts';
import { CHECKPOINTS_PER_BOARD } from '../../server/src/repositories/checkpoints.ts';
import { createSqliteCheckpointsRepository } from '../../server/src/repositories/sqlite/checkpoints.ts';
import { createSqliteWorkshopsRepository } from '../../server/src/repositories/sqlite/workshops.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { Rooms } from '../../server/src/sync/rooms.ts';
import { openBoard, type Log } from '../../server/src/sync/types.ts';

const quiet: Log = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet };

function board(build: (doc: Y.Doc) => void): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => build(doc));
  return doc;
}
const idea = (doc: Y.Doc, id: string, fields: Record<string, unknown>) => {
  const m = new Y.Map<unknown>();
  doc.getMap('ideas').set(id, m);
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
};

describe('restoreContent', () => {
  it('makes ideas, groups, votes and the proposal equal the checkpoint and leaves participants alone', () => {
    const then = board((doc) => {
      idea(doc, 'a', { text: 'Agua', clusterId: 'g1', authorId: 'p1' });
      idea(doc, 'b', { text: 'Riego', clusterId: null, authorId: 'p2' });
      const g = new Y.Map<unknown>();
      doc.getMap('clusters').set('g1', g);
      g.set('title', 'Agua');
      doc.getMap('votes').set('a|p2', 2);
      const text = new Y.Text();
      doc.getMap('proposal').set('problema', text);
      text.insert(0, 'Sequía ', { bold: true });
      text.insert(7, 'en el valle');
    });
    const now = new Y.Doc();
    Y.applyUpdate(now, Y.encodeStateAsUpdate(then));
    now.transact(() => {
      now.getMap('ideas').delete('b');
      (now.getMap('ideas').get('a') as Y.Map<unknown>).set('clusterId', 'spam');
      (now.getMap('ideas').get('a') as Y.Map<unknown>).set('extra', 1);
      idea(now, 'c', { text: 'Basura', authorId: 'p3' });
      now.getMap('clusters').delete('g1');
      now.getMap('votes').set('c|p3', 5);
      (now.getMap('proposal').get('problema') as Y.Text).delete(0, 18);
      now.getMap('participants').set('p3', { name: 'Nuevo' });
    });

    const summary = now.transact(() => restoreContent(now, then));
    expect(summary).toEqual({ ideasBack: 1, ideasRemoved: 1, ideasChanged: 1 });
    for (const name of ['ideas', 'clusters', 'votes']) expect(now.getMap(name).toJSON()).toEqual(then.getMap(name).toJSON());
    expect((now.getMap('proposal').get('problema') as Y.Text).toDelta()).toEqual((then.getMap('proposal').get('problema') as Y.Text).toDelta());
    expect(now.getMap('participants').get('p3')).toEqual({ name: 'Nuevo' });
  });
});

describe('BoardHistory', () => {
  let handle: DbHandle;
  afterEach(() => {
    vi.useRealTimers();
    handle?.close();
  });

  const setup = async () => {
    handle = createDb(':memory:');
    seedDatabase(handle.db);
    const boardId = (await createSqliteWorkshopsRepository(handle.db).create({ title: 'T', seeded: [{ id: 'desafio-1', number: 1 }], own: [] })).boards[0]!.id;
    const rooms = new Rooms(
      new SqliteBoardStorage(handle.sqlite),
      { compactEveryUpdates: 500, batchWrites: false, broadcastIntervalMs: 0, awarenessIntervalMs: 0, compactionHoldMs: 0, writeGate: openBoard, maxBoardBytes: 64 * 1_048_576, idleUnloadMs: 0 },
      quiet
    );
    const repo = createSqliteCheckpointsRepository(handle.db);
    const history = new BoardHistory(repo, rooms, () => 'abierto', quiet, { everyMs: 60_000 });
    rooms.onStored((room) => history.stored(room));
    const write = async (id: string) => {
      const room = await rooms.acquire(boardId);
      await room.serverWrite('test', (doc) => doc.getMap('ideas').set(id, new Y.Map()));
      rooms.release(room);
    };
    return { boardId, repo, history, write };
  };

  it('takes a checkpoint after ten minutes of activity (the first change starts the clock), none without changes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { boardId, history, write } = await setup();
    // Checkpoints are taken once the board is stored, a few promise steps after the timer fires.
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    await write('a');
    vi.advanceTimersByTime(59_000);
    await write('b');
    await settle();
    expect(await history.list(boardId)).toEqual([]);
    vi.advanceTimersByTime(1_000);
    await settle();
    expect(await history.list(boardId)).toMatchObject([{ reason: 'activity', ideas: 2 }]);
    // No change since: the clock does not run, and a due check finds nothing new.
    vi.advanceTimersByTime(600_000);
    await settle();
    expect(await history.list(boardId)).toHaveLength(1);
    await write('c');
    vi.advanceTimersByTime(60_000);
    await settle();
    expect((await history.list(boardId)).map((c) => c.ideas)).toEqual([3, 2]);
  });

  it(`keeps the newest ${CHECKPOINTS_PER_BOARD} checkpoints of a board`, async () => {
    const { boardId, repo } = await setup();
    const ids: number[] = [];
    for (let i = 0; i < CHECKPOINTS_PER_BOARD + 3; i++) ids.push((await repo.add(boardId, { reason: 'activity', phase: 'abierto', ideas: i, data: new Uint8Array([0, 0]) })).id);
    const kept = (await repo.list(boardId)).map((c) => c.id);
    expect(kept).toEqual(ids.slice(3).reverse());
  });
});
