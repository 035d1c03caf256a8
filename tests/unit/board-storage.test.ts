import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { Rooms } from '../../server/src/sync/rooms.ts';
import { ClientClaimedError, type BoardStorage, type StoredBoard } from '../../server/src/sync/storage/board-storage.ts';
import { PgBoardStorage } from '../../server/src/sync/storage/pg-board-storage.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { Connection } from '../../server/src/sync/connection.ts';
import { MessageType, SyncType } from '../../server/src/sync/protocol.ts';
import { identity, postIdea, quiet, TEST_ROOM_OPTIONS } from '../helpers/room.ts';
import { STORAGE_ENGINES, type EngineConnection, type EngineDb } from '../helpers/storage-engines.ts';

const options = { ...TEST_ROOM_OPTIONS, idleUnloadMs: 60_000 };

const storageOf = (c: EngineConnection): BoardStorage =>
  c.engine === 'sqlite' ? new SqliteBoardStorage(c.sqlite.sqlite) : new PgBoardStorage(c.pg.db);

/** A store whose appends commit only when the test says so, as a slow networked one would. */
function slowStore(inner: BoardStorage) {
  const held: (() => void)[] = [];
  /** How many updates each append carried. */
  const batches: number[] = [];
  const store: BoardStorage = {
    load: (docId) => inner.load(docId),
    bind: (docId, client, owner) => inner.bind(docId, client, owner),
    compact: (docId, snapshot, upTo, o) => inner.compact(docId, snapshot, upTo, o),
    privateDocIds: (boardId) => inner.privateDocIds(boardId),
    atomically: (work) => inner.atomically(work),
    append: (docId, updates, bindings) => {
      batches.push(updates.length);
      return new Promise<number>((resolve, reject) => held.push(() => inner.append(docId, updates, bindings).then(resolve, reject)));
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

/** A doc and the updates it emits, one per `idea` call (each about 100 bytes, as the web app writes). */
function writer(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return { doc, updates, idea: (id: string) => postIdea(doc, identity('ana'), id, `Idea ${id}`) };
}

const ideasOf = (stored: StoredBoard) => {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u.data);
  return [...doc.getMap('ideas').keys()].sort();
};

describe.each(STORAGE_ENGINES)('board storage on $name', (engine) => {
  let db: EngineDb | null = null;
  let storage: BoardStorage;
  beforeAll(() => engine.start(), 60_000);
  afterAll(() => engine.stop());
  const open = async () => {
    db = await engine.open();
    storage = storageOf(db.process());
    return storage;
  };
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('loads a doc never written as empty', async () => {
    await open();
    expect(await storage.load('board1')).toEqual({ snapshot: null, updates: [], lastUpdateId: 0, clients: new Map() });
  });

  it('appends updates with their bindings and resolves with the last row id once they are stored', async () => {
    await open();
    const w = writer(11);
    w.idea('i1');
    w.idea('i2');
    const id = await storage.append('board1', w.updates, [[11, 'ana']]);
    const stored = await storage.load('board1');
    expect(stored.updates.map((u) => u.id)).toHaveLength(2);
    expect(id).toBe(stored.lastUpdateId);
    expect(stored.updates.at(-1)!.id).toBe(id);
    expect(stored.clients).toEqual(new Map([[11, 'ana']]));
    expect(ideasOf(stored)).toEqual(['i1', 'i2']);
  });

  it('commits the appends of one doc in the order they were called', async () => {
    await open();
    const w = writer(12);
    for (let i = 0; i < 20; i++) w.idea(`i${i}`);
    const ids = await Promise.all(w.updates.map((u) => storage.append('board1', [u])));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const stored = await storage.load('board1');
    expect(stored.updates.map((u) => Buffer.from(u.data).toString('hex'))).toEqual(w.updates.map((u) => Buffer.from(u).toString('hex')));
  });

  it('refuses a binding of a clientID that storage holds for another owner, and stores nothing of that append', async () => {
    await open();
    const w = writer(13);
    w.idea('i1');
    await storage.append('board1', [w.updates[0]!], [[13, 'ana']]);
    w.idea('i2');
    const refused = storage.append('board1', [w.updates[1]!], [[13, 'beto']]);
    await expect(refused).rejects.toBeInstanceOf(ClientClaimedError);
    await expect(storage.bind('board1', 13, 'beto')).rejects.toMatchObject({ name: 'ClientClaimedError', client: 13, heldBy: 'ana' });
    // The same owner again is no conflict.
    await storage.bind('board1', 13, 'ana');
    await storage.append('board1', [], [[13, 'ana']]);
    const stored = await storage.load('board1');
    expect(stored.updates).toHaveLength(1);
    expect(stored.clients).toEqual(new Map([[13, 'ana']]));
  });

  it('gives a clientID claimed by two processes at once to one owner only', async () => {
    await open();
    const other = storageOf(db!.process());
    const results = await Promise.allSettled([storage.bind('board1', 14, 'ana'), other.bind('board1', 14, 'beto')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const owner = (await storage.load('board1')).clients.get(14);
    const winner = results[0].status === 'fulfilled' ? 'ana' : 'beto';
    expect(owner).toBe(winner);
  });

  it('compacts the log up to a row into a snapshot and keeps the rows after it', async () => {
    await open();
    const w = writer(15);
    w.idea('i1');
    w.idea('i2');
    const upTo = await storage.append('board1', w.updates.slice(0, 2));
    w.idea('i3');
    await storage.append('board1', [w.updates[2]!]);
    const folded = new Y.Doc();
    for (const u of w.updates.slice(0, 2)) Y.applyUpdate(folded, u);
    await storage.compact('board1', Y.encodeStateAsUpdate(folded), upTo);
    const stored = await storage.load('board1');
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates).toHaveLength(1);
    expect(stored.lastUpdateId).toBeGreaterThan(upTo);
    expect(ideasOf(stored)).toEqual(['i1', 'i2', 'i3']);
  });

  it('stores the appends started inside atomically() together and settles them only after the commit', async () => {
    await open();
    const a = writer(16);
    const b = writer(17);
    a.idea('a1');
    b.idea('b1');
    const settled: string[] = [];
    let appends: Promise<number>[] = [];
    const unit = storage.atomically(() => {
      appends = [
        storage.append('board1', a.updates, [[16, 'ana']]).then((id) => (settled.push('a'), id)),
        storage.append('board2', b.updates, [[17, 'beto']]).then((id) => (settled.push('b'), id))
      ];
    });
    await unit;
    await Promise.all(appends);
    expect(settled.sort()).toEqual(['a', 'b']);
    expect(ideasOf(await storage.load('board1'))).toEqual(['a1']);
    expect(ideasOf(await storage.load('board2'))).toEqual(['b1']);
  });

  it('stores nothing of a unit when its work throws or one of its appends fails', async () => {
    await open();
    const a = writer(18);
    a.idea('a1');
    a.idea('a2');
    await storage.bind('board2', 99, 'ana');
    let inner: Promise<number>[] = [];
    await expect(
      storage.atomically(() => {
        inner = [storage.append('board1', [a.updates[0]!])];
        throw new Error('boom');
      })
    ).rejects.toThrow('boom');
    await expect(inner[0]).rejects.toThrow('boom');
    await expect(
      storage.atomically(() => {
        inner = [storage.append('board1', [a.updates[1]!]), storage.append('board2', [a.updates[1]!], [[99, 'beto']])];
      })
    ).rejects.toBeInstanceOf(ClientClaimedError);
    for (const p of inner) await expect(p).rejects.toBeInstanceOf(ClientClaimedError);
    expect((await storage.load('board1')).updates).toHaveLength(0);
    expect((await storage.load('board2')).updates).toHaveLength(0);
  });

  it('refuses to nest units', async () => {
    await open();
    let nested: Promise<void> | null = null;
    await storage.atomically(() => {
      nested = storage.atomically(() => {});
    });
    await expect(nested).rejects.toThrow('does not nest');
  });

  it('lists the private ideation docs of a board that hold anything', async () => {
    await open();
    const w = writer(19);
    w.idea('p1');
    await storage.append('board1:private:ana', w.updates);
    await storage.append('board1x:private:beto', w.updates);
    await storage.compact('board1:private:carla', Y.encodeStateAsUpdate(w.doc), 0);
    expect((await storage.privateDocIds('board1')).sort()).toEqual(['board1:private:ana', 'board1:private:carla']);
  });

  it.runIf(engine.name === 'postgres')('keeps, when it compacts, a row another process appended that this one never applied', async () => {
    await open();
    const other = storageOf(db!.process());
    const mine = writer(20);
    mine.idea('mine');
    const upTo = await storage.append('board1', mine.updates);
    const theirs = writer(21);
    theirs.idea('theirs');
    // Another process appends a row with a lower id than the one this process compacts up to.
    const theirId = await other.append('board1', theirs.updates);
    mine.idea('mine2');
    const last = await storage.append('board1', [mine.updates[1]!]);
    expect(theirId).toBeLessThan(last);
    await storage.compact('board1', Y.encodeStateAsUpdate(mine.doc), Math.max(upTo, last));
    const stored = await other.load('board1');
    expect(stored.updates).toHaveLength(0);
    expect(ideasOf(stored)).toEqual(['mine', 'mine2', 'theirs']);
  });

  it('loads a board once when two callers race to open it, and both get the same room', async () => {
    await open();
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
    await open();
    const slow = slowStore(storage);
    const rooms = new Rooms(slow.store, options, quiet);
    const room = await rooms.acquire('board1');
    // The server's own clientID binding, started on open, is stored before the test goes on.
    await vi.waitFor(async () => expect((await storage.load('board1')).clients.size).toBe(1));
    const seen: Uint8Array[] = [];
    const ana = identity('ana');
    const sender = new Connection({ send() {}, close() {} }, ana, room, quiet, { take: () => true });
    new Connection({ send: (m) => seen.push(m), close() {} }, identity('beto'), room, quiet, { take: () => true });
    const joined = seen.length;

    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    postIdea(doc, ana, 'i1', 'Primera');
    postIdea(doc, ana, 'i2', 'Segunda');
    postIdea(doc, ana, 'i3', 'Tercera');
    for (const u of updates) sender.receive(updateMessage(u));

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
    expect(ideasOf(await storage.load('board1'))).toEqual(['i1', 'i2', 'i3']);
    rooms.release(room);
    await rooms.closeAll();
  });
});
