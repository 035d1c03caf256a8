import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createDb, type DbHandle } from '../../db/client.ts';
import { Rooms } from '../../server/src/sync/rooms.ts';
import type { BoardStorage } from '../../server/src/sync/storage/board-storage.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { identity, postIdea, quiet, TEST_ROOM_OPTIONS } from '../helpers/room.ts';
import { Connection } from '../../server/src/sync/connection.ts';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncType } from '../../server/src/sync/protocol.ts';

const options = { ...TEST_ROOM_OPTIONS, idleUnloadMs: 60_000 };

/** SQLite behind a store whose appends commit only when the test says so, as a networked one would. */
function slowStore(sqlite: SqliteBoardStorage) {
  const held: (() => void)[] = [];
  /** How many updates each append carried. */
  const batches: number[] = [];
  const store: BoardStorage = {
    load: (docId) => sqlite.load(docId),
    bind: (docId, client, owner) => sqlite.bind(docId, client, owner),
    compact: (docId, snapshot, upTo, o) => sqlite.compact(docId, snapshot, upTo, o),
    privateDocIds: (boardId) => sqlite.privateDocIds(boardId),
    atomically: (work) => sqlite.atomically(work),
    append: (docId, updates, bindings) => {
      batches.push(updates.length);
      return new Promise<number>((resolve, reject) => held.push(() => sqlite.append(docId, updates, bindings).then(resolve, reject)));
    }
  };
  return { store, held, batches, commitNext: () => held.shift()!() };
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, SyncType.Update);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

describe('board storage seam', () => {
  let handle: DbHandle;
  afterEach(() => handle?.close());

  it('loads a board once when two callers race to open it, and both get the same room', async () => {
    handle = createDb(':memory:');
    const storage = new SqliteBoardStorage(handle.sqlite);
    const load = vi.spyOn(storage, 'load');
    const rooms = new Rooms(storage, options, quiet);
    const [a, b] = await Promise.all([rooms.acquire('board1'), rooms.acquire('board1')]);
    expect(a).toBe(b);
    expect(load).toHaveBeenCalledTimes(1);
    rooms.release(a);
    rooms.release(b);
    await rooms.closeAll();
  });

  it('keeps one append in flight per room: what arrives meanwhile goes in the next one, and nothing is broadcast before it is stored', async () => {
    handle = createDb(':memory:');
    const sqlite = new SqliteBoardStorage(handle.sqlite);
    const slow = slowStore(sqlite);
    const rooms = new Rooms(slow.store, options, quiet);
    const room = await rooms.acquire('board1');
    const seen: Uint8Array[] = [];
    const ana = identity('ana');
    const writer = new Connection({ send() {}, close() {} }, ana, room, quiet, { take: () => true });
    new Connection({ send: (m) => seen.push(m), close() {} }, identity('beto'), room, quiet, { take: () => true });
    const joined = seen.length;

    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    postIdea(doc, ana, 'i1', 'Primera');
    postIdea(doc, ana, 'i2', 'Segunda');
    postIdea(doc, ana, 'i3', 'Tercera');
    for (const u of updates) writer.receive(updateMessage(u));

    // The first update is being appended; the next two wait for it, and nobody saw anything.
    expect(slow.held).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.length).toBe(joined);

    slow.commitNext();
    await vi.waitFor(() => expect(slow.held).toHaveLength(1));
    expect(seen.length).toBe(joined + 1);
    slow.commitNext();
    await vi.waitFor(() => expect(seen.length).toBe(joined + 2));
    expect(slow.held).toHaveLength(0);

    expect(slow.batches).toEqual([1, 2]);
    const stored = sqlite.loadNow('board1');
    const replay = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(replay, u.data);
    expect([...replay.getMap('ideas').keys()].sort()).toEqual(['i1', 'i2', 'i3']);
    rooms.release(room);
  });
});
