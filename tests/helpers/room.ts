import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { createDb } from '../../db/client.ts';
import type { Identity } from '../../server/src/auth/identity.ts';
import { Connection } from '../../server/src/sync/connection.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { MessageType, SyncType } from '../../server/src/sync/protocol.ts';
import { Room, type RoomOptions } from '../../server/src/sync/room.ts';
import { openBoard, type Log } from '../../server/src/sync/types.ts';

/**
 * The real Room and Connection over a real (in-memory) SQLite board log, with clients that speak
 * the y-websocket sync protocol by hand: exactly the bytes a WebsocketProvider sends, without the
 * network, so property tests can run hundreds of cases.
 */
export const quiet: Log = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet };

export const identity = (id: string, over: Partial<Identity> = {}): Identity => ({
  role: 'participant',
  id,
  workshopId: 'w1',
  workshopCode: 'ABCDEF',
  name: id[0]!.toUpperCase() + id.slice(1),
  sector: 'comunidad',
  comuna: 'Ovalle',
  ...over
});

export const facilitator = identity('fac-w1', { role: 'facilitator', name: 'Facilitación', sector: 'otro', comuna: '' });

export interface HarnessClient {
  readonly who: Identity;
  /** The client's doc (gc on, as in browsers and WebsocketProvider). */
  doc: Y.Doc;
  /** Refusal codes the server sent this client. */
  refusals: string[];
  readonly online: boolean;
  /** Drops the connection; edits stay in the doc and go out on `reconnect`. */
  disconnect(): void;
  /** Connects again: the server's sync step 1 is answered with everything it lacks. */
  reconnect(): void;
}

/** Room options for tests: no compaction, batching or pacing, an open board. */
export const TEST_ROOM_OPTIONS = {
  compactEveryUpdates: 1_000_000,
  batchWrites: false,
  broadcastIntervalMs: 0,
  awarenessIntervalMs: 0,
  compactionHoldMs: 0,
  writeGate: openBoard,
  maxBoardBytes: 64 * 1_048_576
} satisfies Partial<RoomOptions>;

export function roomHarness(options: Partial<RoomOptions> = {}, docId = 'board1') {
  const handle = createDb(':memory:');
  const log = new SqliteBoardStorage(handle.sqlite);
  // Opened from what SQLite holds, read at once, so that a harness is ready when it returns.
  const room = Room.open(
    docId,
    log.loadNow(docId),
    log,
    { ...TEST_ROOM_OPTIONS, ...options },
    quiet
  );

  const client = (who: Identity): HarnessClient => harnessClient(room, who);

  /** Lets the queued sync replies run (the harness answers the server's step 1 in a microtask). */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    room,
    log,
    client,
    settle,
    close() {
      room.close();
      handle.close();
    }
  };
}

/** A client of `room` that behaves as WebsocketProvider does: every local transaction is sent at once while online. */
export function harnessClient(room: Room, who: Identity): HarnessClient {
  const doc = new Y.Doc();
  let connection: Connection | null = null;
  const fromServer = Symbol('server');
  const c: HarnessClient = {
    who,
    doc,
    refusals: [],
    get online() {
      return connection !== null;
    },
    disconnect() {
      connection?.closed();
      connection = null;
    },
    reconnect() {
      if (connection) return;
      let mine: Connection | null = null;
      const socket = {
        send: (data: Uint8Array) => {
          const decoder = decoding.createDecoder(data);
          const type = decoding.readVarUint(decoder);
          if (type === MessageType.Auth) {
            decoding.readVarUint(decoder);
            c.refusals.push((JSON.parse(decoding.readVarString(decoder)) as { code: string }).code);
          } else if (type === MessageType.Sync) {
            const sub = decoding.readVarUint(decoder);
            const payload = decoding.readVarUint8Array(decoder);
            // The server's step 1 on join: answer with what it lacks (sent after the constructor returns).
            if (sub === SyncType.Step1) {
              queueMicrotask(() => {
                if (mine && connection === mine) mine.receive(syncMessage(SyncType.Step2, Y.encodeStateAsUpdate(doc, payload)));
              });
            }
            else Y.applyUpdate(doc, payload, fromServer);
          }
        },
        close: () => {
          connection = null;
        }
      };
      mine = connection = new Connection(socket, who, room, quiet, { take: () => true });
      // And ask for what the server has (the provider's own step 1), answered by the real Connection.
      connection.receive(syncMessage(SyncType.Step1, Y.encodeStateVector(doc)));
    }
  };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== fromServer && connection) connection.receive(syncMessage(SyncType.Update, update));
  });
  c.reconnect();
  return c;
}

function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** Posts an idea the way the web app does (web/src/lib/state/idea-writes.ts). */
export function postIdea(doc: Y.Doc, who: Identity, id: string, text: string, questionId = 'q1'): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    doc.getMap('ideas').set(id, m);
    m.set('text', text);
    m.set('questionId', questionId);
    m.set('clusterId', null);
    m.set('authorId', who.id);
    m.set('authorName', who.name);
    m.set('sector', who.sector);
    m.set('createdAt', Date.now());
  });
}

export const ideaOf = (doc: Y.Doc, id: string) => doc.getMap<Y.Map<unknown>>('ideas').get(id);
