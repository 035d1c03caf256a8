import type { Connection } from './connection.ts';

/** A batch of one room that storage has committed, on its way to everyone who holds the board. */
export interface StoredBatch {
  /** The doc id (`<boardId>` or a private or hidden doc). */
  docId: string;
  /** The batch's updates merged into one (V1), as the room's doc emitted them. */
  update: Uint8Array;
  /** `update` as a y-websocket sync update message. */
  message: Uint8Array;
  /** The clientIDs this batch bound to their writers (stored with it). */
  bindings: readonly (readonly [number, string])[];
  /** Row id of the batch's last update in storage. */
  lastId: number;
  /** The lone sender, who already has its change (null: everyone gets it). */
  skip: Connection | null;
}

/** What a room hands on: `connections` are its sockets on this process. */
export interface BroadcastTarget {
  readonly docId: string;
  readonly connections: ReadonlySet<Connection>;
}

/**
 * Where a room's broadcasts go once they may be seen: the local broadcaster writes to the room's
 * own sockets; a fan-out (sync/fanout/redis-fanout.ts) also hands them to the other processes
 * that hold the board.
 */
export interface Broadcaster {
  /** A stored batch (the output gate has passed). */
  update(room: BroadcastTarget, batch: StoredBatch): void;
  /** Presence changes of the room's own clients, already paced by the room (`update` is the awareness update, `message` its y-websocket message). */
  awareness(room: BroadcastTarget, update: Uint8Array, message: Uint8Array): void;
  /**
   * A room is about to read the doc from storage: resolves once whatever other processes store
   * from now on will reach it (Redis: subscribed to the doc's channel), so nothing falls between.
   */
  watch?(docId: string): Promise<void>;
  /** The room was closed: nothing more of it is wanted here. */
  unwatch?(docId: string): void;
}

/** Today's behaviour, at no extra cost: the room's sockets and nothing else. */
export const localBroadcaster: Broadcaster = {
  update(room, batch) {
    for (const c of room.connections) if (c !== batch.skip) c.send(batch.message);
  },
  awareness(room, _update, message) {
    for (const c of room.connections) c.send(message);
  }
};
