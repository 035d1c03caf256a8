import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import { localBroadcaster, type Broadcaster, type BroadcastTarget, type StoredBatch } from '../broadcaster.ts';
import type { Room } from '../room.ts';
import type { Rooms } from '../rooms.ts';
import type { Log } from '../types.ts';
import { decodeFanout, encodeFanout, type FanoutMessage } from './messages.ts';

const CHANNEL_PREFIX = 'minga:doc:';
/** How long a room's load waits for its channel's subscription before reading anyway (ms); healing covers the rest. */
const SUBSCRIBE_WAIT_MS = 2_000;
/** A catch-up from storage is made again this long after a reconnect (ms): other processes' publishers may come back a little later. */
const SECOND_CATCH_UP_MS = 1_000;

export interface RedisFanoutOptions {
  /** Every this many ms, each loaded room publishes its state vector (healing); 0: never. */
  healIntervalMs: number;
}

/**
 * The content plane across processes (issue 13). Storage is the authority: a room appends and
 * commits a batch, then this broadcaster writes it to the room's own sockets and publishes it, one
 * binary message per batch with the clientIDs it bound, on the doc's Redis channel; every other
 * process that holds the doc applies it as already stored (`Room.applyStored`). Presence goes the
 * same way, paced by the room that owns the clients.
 *
 * A message can be missed (Redis restarted, a subscriber reconnecting, a publish while Redis was
 * down), so two things heal from storage: after the subscriber reconnects every loaded room reads
 * storage and applies what it lacks (`Room.catchUp`), and every `healIntervalMs` each idle room
 * publishes its state vector, and a process that sees one with something its own room lacks
 * catches that room up from storage. Nothing unstored ever travels: a state vector only says that
 * storage has more.
 */
export class RedisFanout implements Broadcaster {
  /** Names this process on the channels; messages it sent itself are skipped. */
  readonly processId = randomBytes(9).toString('base64url');
  private rooms: Rooms | null = null;
  private healTimer: NodeJS.Timeout | null = null;
  /** Rooms catching up from storage now (one catch-up per room at a time). */
  private readonly catchingUp = new Set<Room>();
  /** The subscriber lost its connection: once it is back, every room catches up. */
  private dropped = false;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    /** Publishes; without an offline queue, so that nothing piles up in memory while Redis is down. */
    private readonly pub: Redis,
    /** Subscribed to the channels of the docs this process holds. */
    private readonly sub: Redis,
    private readonly logger: Log,
    private readonly options: RedisFanoutOptions
  ) {
    sub.on('messageBuffer', this.onMessage);
    sub.on('close', this.onDrop);
    sub.on('ready', this.onReady);
  }

  /** Starts delivering to these rooms (they were built with this broadcaster). */
  attach(rooms: Rooms): void {
    this.rooms = rooms;
    if (this.options.healIntervalMs > 0) {
      this.healTimer = setInterval(() => this.publishStateVectors(), this.options.healIntervalMs);
      this.healTimer.unref();
    }
  }

  update(room: BroadcastTarget, batch: StoredBatch): void {
    localBroadcaster.update(room, batch);
    this.publish(room.docId, { kind: 'stored', sender: this.processId, lastId: batch.lastId, bindings: batch.bindings as [number, string][], update: batch.update });
  }

  awareness(room: BroadcastTarget, update: Uint8Array, message: Uint8Array): void {
    localBroadcaster.awareness(room, update, message);
    this.publish(room.docId, { kind: 'awareness', sender: this.processId, update });
  }

  watch(docId: string): Promise<void> {
    const subscribed = this.sub.subscribe(CHANNEL_PREFIX + docId).then(
      () => {},
      (err: unknown) => this.logger.warn({ err, docId }, 'could not subscribe to a doc channel')
    );
    // While Redis is down the board still opens (from storage); the subscription follows when it is back.
    if (this.sub.status !== 'ready') return Promise.resolve();
    return Promise.race([subscribed, new Promise<void>((resolve) => this.later(resolve, SUBSCRIBE_WAIT_MS))]);
  }

  unwatch(docId: string): void {
    this.sub.unsubscribe(CHANNEL_PREFIX + docId).catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.healTimer) clearInterval(this.healTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.sub.off('messageBuffer', this.onMessage);
    this.sub.off('close', this.onDrop);
    this.sub.off('ready', this.onReady);
  }

  private publish(docId: string, message: FanoutMessage): void {
    if (this.closed) return;
    // Not sent (Redis is down): the others heal from storage once they hear from Redis again.
    this.pub.publish(CHANNEL_PREFIX + docId, Buffer.from(encodeFanout(message))).catch(() => {});
  }

  private onMessage = (channel: Buffer, data: Buffer) => {
    const docId = channel.toString('utf8').slice(CHANNEL_PREFIX.length);
    const message = decodeFanout(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (!message) return this.logger.warn({ docId }, 'unreadable fan-out message skipped');
    if (message.sender === this.processId || !this.rooms) return;
    const room = this.rooms.peek(docId);
    if (room && !room.isClosed) return this.deliver(room, message);
    // Being read from storage now: applied once it is open (in order; what it read already is skipped).
    this.rooms.loadingRoom(docId)?.then(
      (loaded) => this.deliver(loaded, message),
      () => {}
    );
  };

  private deliver(room: Room, message: FanoutMessage): void {
    switch (message.kind) {
      case 'stored':
        room.applyStored([message.update], message.bindings, message.lastId);
        return;
      case 'awareness':
        room.applyRemoteAwareness(message.update);
        return;
      case 'state-vector':
        if (lacksSome(room.doc, message.stateVector, message.deletes)) this.catchUp(room, 'another process holds more');
        return;
    }
  }

  private onDrop = () => {
    if (!this.closed) this.dropped = true;
  };

  private onReady = () => {
    if (!this.dropped || this.closed || !this.rooms) return;
    this.dropped = false;
    this.logger.info({ rooms: this.rooms.loaded }, 'redis back: catching the loaded rooms up from storage');
    const all = () => {
      for (const room of this.rooms?.all() ?? []) this.catchUp(room, 'redis reconnected');
    };
    all();
    this.later(all, SECOND_CATCH_UP_MS);
  };

  private catchUp(room: Room, reason: string): void {
    if (this.catchingUp.has(room) || room.isClosed) return;
    this.catchingUp.add(room);
    room
      .catchUp()
      .catch((err: unknown) => this.logger.warn({ err, docId: room.docId, reason }, 'catch-up from storage failed; the next heal retries'))
      .finally(() => this.catchingUp.delete(room));
  }

  private publishStateVectors(): void {
    if (this.pub.status !== 'ready' || !this.rooms) return;
    for (const room of this.rooms.all()) {
      // Only a doc that holds exactly what is stored: a state vector promises storage has it all.
      if (room.isClosed || !room.idle) continue;
      const stateVector = Y.encodeStateVector(room.doc);
      // The doc's own state vector: no structs, only the whole delete set.
      const deletes = Y.encodeStateAsUpdate(room.doc, stateVector);
      this.publish(room.docId, { kind: 'state-vector', sender: this.processId, stateVector, deletes });
    }
  }

  private later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}

/** Whether another doc's state vector holds a clock this doc has not reached, or its delete set a deletion this doc lacks. */
function lacksSome(doc: Y.Doc, stateVector: Uint8Array, deletes: Uint8Array): boolean {
  try {
    for (const [client, clock] of Y.decodeStateVector(stateVector)) if (Y.getState(doc.store, client) < clock) return true;
    return !Y.snapshotContainsUpdate(Y.snapshot(doc), deletes);
  } catch {
    return false;
  }
}
