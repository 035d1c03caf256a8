import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { createDb, type DbHandle } from '../../db/client.ts';
import { localBroadcaster, type Broadcaster, type StoredBatch } from '../../server/src/sync/broadcaster.ts';
import { Connection } from '../../server/src/sync/connection.ts';
import { MessageType } from '../../server/src/sync/protocol.ts';
import { Room } from '../../server/src/sync/room.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { harnessClient, identity, ideaOf, postIdea, quiet, TEST_ROOM_OPTIONS } from '../helpers/room.ts';

/**
 * Two rooms of one board over one SQLite store, as two processes would hold it: each one's
 * broadcaster hands what it stored to the other through the room's remote input, as the Redis
 * fan-out does, and can be cut to lose messages.
 */
function twoProcesses() {
  handle = createDb(':memory:');
  const storage = new SqliteBoardStorage(handle.sqlite);
  let linked = true;
  const peers: { a?: Room; b?: Room } = {};
  const relay = (to: () => Room | undefined): Broadcaster => ({
    update(room, batch: StoredBatch) {
      localBroadcaster.update(room, batch);
      if (linked) to()?.applyStored([batch.update], batch.bindings, batch.lastId);
    },
    awareness(room, update, message) {
      localBroadcaster.awareness(room, update, message);
      if (linked) to()?.applyRemoteAwareness(update);
    }
  });
  const a = Room.open('board1', storage.loadNow('board1'), storage, { ...TEST_ROOM_OPTIONS, broadcaster: relay(() => peers.b) }, quiet);
  const b = Room.open('board1', storage.loadNow('board1'), storage, { ...TEST_ROOM_OPTIONS, broadcaster: relay(() => peers.a) }, quiet);
  peers.a = a;
  peers.b = b;
  const rows = () => (handle.sqlite.prepare('SELECT COUNT(*) AS n FROM board_updates').get() as { n: number }).n;
  return { a, b, storage, rows, cut: () => (linked = false), mend: () => (linked = true) };
}

let handle: DbHandle;
const opened: Room[] = [];
afterEach(() => {
  for (const room of opened.splice(0)) room.close();
  handle?.close();
});

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('room broadcaster seam', () => {
  it('hands a stored batch to the broadcaster, and the other room shows it to its clients without storing it again', async () => {
    const { a, b, rows } = twoProcesses();
    opened.push(a, b);
    const ana = harnessClient(a, identity('ana'));
    const beto = harnessClient(b, identity('beto'));
    await settle();
    postIdea(ana.doc, ana.who, 'i1', 'Huertos comunitarios');
    await a.whenStored();
    await settle();
    expect(ideaOf(beto.doc, 'i1')?.get('text')).toBe('Huertos comunitarios');
    expect(ideaOf(b.doc, 'i1')?.get('text')).toBe('Huertos comunitarios');
    expect(rows()).toBe(1);
    expect(b.idle).toBe(true);
  });

  it('learns the clientIDs another process bound, so nobody on this one may write under them', async () => {
    const { a, b } = twoProcesses();
    opened.push(a, b);
    const ana = harnessClient(a, identity('ana'));
    await settle();
    postIdea(ana.doc, ana.who, 'i1', 'Feria de emprendedores');
    await a.whenStored();
    // Someone on the other process claims Ana's clientID and edits her idea.
    const impostor = harnessClient(b, identity('eva'));
    await settle();
    const forged = new Y.Doc();
    forged.clientID = ana.doc.clientID;
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(ana.doc));
    const before = Y.encodeStateVector(forged);
    ideaOf(forged, 'i1')!.set('text', 'cambiado');
    impostor.doc.transact(() => Y.applyUpdate(impostor.doc, Y.encodeStateAsUpdate(forged, before)));
    await settle();
    expect(impostor.refusals.length).toBeGreaterThan(0);
    expect(ideaOf(b.doc, 'i1')?.get('text')).toBe('Feria de emprendedores');
  });

  it('applies an update heard twice once: nothing new, nothing sent', async () => {
    const { a, b } = twoProcesses();
    opened.push(a, b);
    const ana = harnessClient(a, identity('ana'));
    await settle();
    const sent: Uint8Array[] = [];
    const watcher = new Connection({ send: (m) => sent.push(m), close() {} }, identity('ema'), b, quiet, { take: () => true });
    postIdea(ana.doc, ana.who, 'i1', 'Reciclaje');
    await a.whenStored();
    const count = sent.length;
    b.applyStored([Y.encodeStateAsUpdate(a.doc)], [], 0);
    expect(sent.length).toBe(count);
    watcher.closed();
  });

  it('heals a missed message from storage (catchUp), the authority', async () => {
    const { a, b, cut, mend } = twoProcesses();
    opened.push(a, b);
    const ana = harnessClient(a, identity('ana'));
    const beto = harnessClient(b, identity('beto'));
    await settle();
    cut();
    postIdea(ana.doc, ana.who, 'i1', 'Durante el corte');
    await a.whenStored();
    await settle();
    expect(ideaOf(beto.doc, 'i1')).toBeUndefined();
    mend();
    await b.catchUp();
    await settle();
    expect(ideaOf(beto.doc, 'i1')?.get('text')).toBe('Durante el corte');
  });

  it('relays presence of its own clients, and sends presence from the other process on to its sockets without relaying it back', async () => {
    const { a, b } = twoProcesses();
    opened.push(a, b);
    const seen: number[] = [];
    const onB = new Connection(
      {
        send: (m) => {
          if (m[0] === MessageType.Awareness) seen.push(m.byteLength);
        },
        close() {}
      },
      identity('beto'),
      b,
      quiet,
      { take: () => true }
    );
    const anaAwareness = new awarenessProtocol.Awareness(new Y.Doc());
    anaAwareness.setLocalState({ cursor: 3 });
    const onA = new Connection({ send() {}, close() {} }, identity('ana'), a, quiet, { take: () => true });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(anaAwareness, [anaAwareness.clientID]));
    onA.receive(encoding.toUint8Array(e));
    await settle();
    expect(b.awareness.getStates().get(anaAwareness.clientID)).toMatchObject({ cursor: 3 });
    expect(seen.length).toBeGreaterThan(0);
    // Leaving A removes the presence on B too.
    onA.closed();
    await settle();
    expect(b.awareness.getStates().has(anaAwareness.clientID)).toBe(false);
    onB.closed();
    anaAwareness.destroy();
  });
});
