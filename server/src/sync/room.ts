import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { boardUnavailable, CloseCode, MingaError } from '../errors.ts';
import { checkWrites } from './board-rules.ts';
import type { Connection } from './connection.ts';
import type { BoardLog, StoredBoard } from './extensions/persistence.ts';
import { replayStored, StoredUpdateError } from './extensions/replay.ts';
import { encodeAwareness, encodeSyncStep1, encodeUpdate } from './protocol.ts';
import { refusal, type Refusal } from './refusals.ts';
import { untracked, type Log, type Track, type WriteGate } from './types.ts';
import { inspectUpdate } from './update-inspector.ts';
import { sanitizeAwarenessUpdate } from './awareness-filter.ts';

/** Transaction origins on a board doc, tagged by source. */
export type Origin =
  | { source: 'load' }
  | { source: 'client'; connection: Connection }
  | { source: 'server'; reason: string };

export const SERVER_OWNER = 'server';
/** Close reason for a sender whose change could not be stored (≤ 123 bytes, as WebSocket allows). */
export const STORAGE_FAILED_REASON = 'No pudimos guardar tu cambio; se reintenta al reconectar. / Your change was not saved; it is retried on reconnect.';
/** Socket writes per millisecond a room aims to stay under when it broadcasts (50,000/s). */
const SENDS_PER_MS = 50;

const PRIVATE_MARK = ':private:';
export const privateDocId = (boardId: string, participantId: string) => `${boardId}${PRIVATE_MARK}${participantId}`;
export function parseDocId(docId: string): { boardId: string; privateOwner: string | null } {
  const at = docId.indexOf(PRIVATE_MARK);
  return at < 0 ? { boardId: docId, privateOwner: null } : { boardId: docId.slice(0, at), privateOwner: docId.slice(at + PRIVATE_MARK.length) };
}
export const ROOT_TYPES = ['ideas', 'clusters', 'votes', 'proposal', 'participants'] as const;

export interface RoomOptions {
  compactEveryUpdates: number;
  /** Group the client updates of one event-loop tick into one transaction and one broadcast. */
  batchWrites: boolean;
  /** Upper bound of the pause between two broadcasts of a busy room, in ms (0: one per tick). */
  broadcastIntervalMs: number;
  /** Presence is broadcast at most this often (ms); 0 sends every change at once. */
  awarenessIntervalMs: number;
  compactionHoldMs: number;
  writeGate: WriteGate;
  /** Names the room's long operations (log load, compaction) for the event-loop monitor. */
  track?: Track;
}

/**
 * One board's live doc. Every update it accepts is appended to SQLite before anyone else sees
 * it (output gate); refused updates change nothing.
 */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** clientID → owner, as stored in board_clients. */
  private owners: Map<number, string>;
  /** clientIDs that spoke on awareness but never wrote: claimed in memory only. */
  private readonly awarenessOwners = new Map<number, string>();
  private lastUpdateId: number;
  private updatesSinceSnapshot: number;
  private captured: Uint8Array[] | null = null;
  /** Accepted updates waiting for the output gate (appended, then broadcast, by `flush`). */
  private pending: { updates: Uint8Array[]; bindings: [number, string][]; senders: Set<Connection | null> } | null = null;
  private flushScheduled = false;
  private lastFlushAt = -Infinity;
  private readonly awarenessChanged = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | null = null;
  private compactionScheduled = false;
  private closed = false;
  /** Called when the room can no longer guarantee durability or was closed. */
  onClose: (room: Room) => void = () => {};
  /** Called after each stored change and each join or leave (live figures for facilitators). */
  onActivity: (room: Room) => void = () => {};
  /** Called after each stored change (checkpoints). */
  onStored: (room: Room) => void = () => {};

  /** The board this doc belongs to. */
  readonly boardId: string;
  /** For a participant's private ideation doc, its owner; null for the board itself. */
  readonly privateOwner: string | null;

  private constructor(
    /** `<boardId>` or `<boardId>:private:<participantId>`. */
    readonly docId: string,
    /** Holds exactly the stored board (see `Room.load`). */
    private current: Y.Doc,
    private readonly log: BoardLog,
    private readonly options: RoomOptions,
    private readonly logger: Log,
    stored: StoredBoard
  ) {
    const parsed = parseDocId(docId);
    this.boardId = parsed.boardId;
    this.privateOwner = parsed.privateOwner;
    // Presence has a doc of its own, so that a reload can replace the board's doc under it.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.owners = stored.clients;
    this.lastUpdateId = stored.lastUpdateId;
    this.updatesSinceSnapshot = stored.updates.length;
    this.adopt(current);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    if (this.updatesSinceSnapshot >= options.compactEveryUpdates) this.scheduleCompaction();
  }

  /**
   * Reads the board from SQLite. A stored row that does not replay makes this throw
   * `BoardUnavailable` (and log the row): a partial board is never served, and no row is touched,
   * so the next attempt after an operator's repair loads it whole.
   */
  static load(docId: string, log: BoardLog, options: RoomOptions, logger: Log): Room {
    const started = performance.now();
    const { stored, doc } = (options.track ?? untracked)('log load', { docId }, () => Room.read(docId, log, logger));
    const room = new Room(docId, doc, log, options, logger, stored);
    logger.info(
      { updates: stored.updates.length, snapshotBytes: stored.snapshot?.byteLength ?? 0, ms: Math.round(performance.now() - started) },
      'board loaded'
    );
    return room;
  }

  /** The stored board and a doc holding exactly it; throws `BoardUnavailable` if it does not replay. */
  private static read(docId: string, log: BoardLog, logger: Log): { stored: StoredBoard; doc: Y.Doc } {
    const stored = log.load(docId);
    const doc = new Y.Doc({ gc: true });
    for (const name of ROOT_TYPES) doc.getMap(name);
    try {
      replayStored(doc, stored, { source: 'load' } satisfies Origin);
    } catch (err) {
      doc.destroy();
      if (!(err instanceof StoredUpdateError)) throw err;
      logger.error({ err, boardId: parseDocId(docId).boardId, docId, updateId: err.updateId }, 'stored board failed to load; not opening it');
      throw boardUnavailable({ cause: err });
    }
    return { stored, doc };
  }

  /** The board's doc: exactly what SQLite holds, plus the changes of this tick waiting in `flush`. */
  get doc(): Y.Doc {
    return this.current;
  }

  /**
   * Makes `doc` the room's doc, every change captured for the output gate, writing as `clientId`
   * (already bound to the server) or as a newly bound server clientID.
   */
  private adopt(doc: Y.Doc, clientId?: number): void {
    this.current = doc;
    doc.clientID = clientId ?? this.pickServerClientId();
    doc.on('update', (update: Uint8Array, origin: Origin) => {
      if (this.captured && this.current === doc) this.captured.push(update);
      else this.logger.error({ origin: origin?.source }, 'doc changed outside a commit');
    });
  }

  get isClosed() {
    return this.closed;
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    this.onActivity(this);
    connection.send(encodeSyncStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    }
  }

  leave(connection: Connection): void {
    this.connections.delete(connection);
    if (!this.closed) this.onActivity(this);
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], connection);
    }
  }

  /** Judges and, if accepted, applies a participant's update. Returns the refusal, if any. */
  receiveUpdate(connection: Connection, update: Uint8Array): Refusal | null {
    const writer = connection.identity;
    const inspection = inspectUpdate(this.doc, update);
    if (!inspection.ok) return refusal(inspection.code, inspection.detail);
    // Clients send empty updates (y-websocket does on every connect): nothing to judge or store.
    if (inspection.writes.length === 0 && inspection.newClients.size === 0) return null;
    if (this.privateOwner !== null && writer.id !== this.privateOwner) return refusal('NOT_YOUR_IDEA', 'private doc of another participant');
    const gated = this.options.writeGate({ boardId: this.boardId, privateOwner: this.privateOwner, writer, writes: inspection.writes });
    if (gated) return gated;
    const bindings: [number, string][] = [];
    for (const client of inspection.newClients) {
      const owner = this.owners.get(client) ?? this.awarenessOwners.get(client);
      if (owner !== undefined && owner !== writer.id) return refusal('CLIENT_ID_TAKEN', `client ${client} owned by ${owner}`);
      if (!this.owners.has(client)) bindings.push([client, writer.id]);
    }
    const refused = checkWrites(inspection.writes, {
      doc: this.doc,
      writer,
      ownerOfEntry: (entry) => {
        const owner = this.owners.get(entry.client) ?? (inspection.newClients.has(entry.client) ? writer.id : undefined);
        return owner === SERVER_OWNER ? this.namedAuthor(entry) : owner;
      }
    });
    if (refused) return refused;
    const error = this.commit(() => Y.applyUpdate(this.doc, update, { source: 'client', connection } satisfies Origin), connection, bindings, true);
    return error ? refusal('MALFORMED', error.message) : null;
  }

  /** Entries the server created (revealed private ideas) belong to the author they name. */
  private namedAuthor(entry: Y.ID): string | undefined {
    if (entry.clock >= Y.getState(this.doc.store, entry.client)) return undefined;
    const item = Y.getItem(this.doc.store, entry);
    const type = item instanceof Y.Item && item.content instanceof Y.ContentType ? item.content.type : null;
    const author = type instanceof Y.Map ? type.get('authorId') : undefined;
    return typeof author === 'string' ? author : undefined;
  }

  /** A write made by the server itself (votes, participants), persisted and broadcast like any other. */
  serverWrite(reason: string, write: (doc: Y.Doc) => void): Error | null {
    return this.commit(() => this.doc.transact(() => write(this.doc), { source: 'server', reason } satisfies Origin), null, [], false);
  }

  /** The participant's awareness update, with `user` set by the server and foreign clientIDs dropped. */
  receiveAwareness(connection: Connection, update: Uint8Array): void {
    const clean = sanitizeAwarenessUpdate(update, connection.identity, (client) => {
      const owner = this.owners.get(client) ?? this.awarenessOwners.get(client);
      if (owner !== undefined && owner !== connection.identity.id) return false;
      this.awarenessOwners.set(client, connection.identity.id);
      connection.awarenessIds.add(client);
      return true;
    });
    if (clean) awarenessProtocol.applyAwarenessUpdate(this.awareness, clean, connection);
  }

  /**
   * Runs a doc change and queues what the doc emitted (never the client's raw bytes) for the
   * output gate: `flush` appends it to SQLite and only then broadcasts it. Client updates of one
   * event-loop tick share one transaction and one message; server writes flush at once.
   */
  private commit(change: () => void, sender: Connection | null, bindings: [number, string][], batch: boolean): Error | null {
    if (this.closed) return new Error('room closed');
    this.captured = [];
    let error: Error | null = null;
    try {
      change();
    } catch (err) {
      error = err as Error;
    }
    const updates = this.captured;
    this.captured = null;
    if (updates.length === 0) return error;
    // Bound now so the next update of this tick is judged against it; if the flush fails the
    // whole room is dropped anyway.
    for (const [client, owner] of bindings) this.owners.set(client, owner);
    const pending = (this.pending ??= { updates: [], bindings: [], senders: new Set() });
    pending.updates.push(...updates);
    pending.bindings.push(...bindings);
    pending.senders.add(sender);
    if (batch && this.options.batchWrites) {
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // The first change after a quiet spell goes out at the end of this tick; while changes
        // keep coming, at most one broadcast per interval (see broadcastInterval).
        const wait = this.lastFlushAt + this.broadcastInterval() - performance.now();
        const run = () => {
          this.flushScheduled = false;
          this.flush();
        };
        if (wait <= 0) setImmediate(run);
        else setTimeout(run, wait);
      }
      return error;
    }
    return this.flush() ?? error;
  }

  /**
   * The shortest time between two broadcasts of this room: one socket write per client is the
   * cost that grows with the room (half the server's busy time at 500 editors), so the interval
   * keeps a room near SENDS_PER_MS writes: ~2 ms for 100 people (unnoticeable), 10 ms for 500,
   * capped by `broadcastIntervalMs`.
   */
  private broadcastInterval(): number {
    return Math.min(this.options.broadcastIntervalMs, this.connections.size / SENDS_PER_MS);
  }

  /**
   * Appends the queued updates in one transaction, then broadcasts them as one message. Call it
   * before anything shows this doc's content to someone (sync step 2, exports, snapshots). If
   * SQLite fails, nobody sees the change and the room is dropped, so it reloads what is stored.
   */
  flush(): Error | null {
    const pending = this.pending;
    if (!pending || this.closed) return null;
    this.pending = null;
    this.lastFlushAt = performance.now();
    try {
      this.lastUpdateId = this.log.append(this.docId, pending.updates, pending.bindings);
    } catch (err) {
      this.fail(err, pending.senders);
      return err as Error;
    }
    const { updates, senders } = pending;
    const message = encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
    // A lone sender already has its own change; with several senders everyone gets the merge.
    const skip = senders.size === 1 ? [...senders][0] : null;
    this.log.afterCommit(() => {
      for (const c of this.connections) if (c !== skip) c.send(message);
    });
    this.onActivity(this);
    this.onStored(this);
    this.updatesSinceSnapshot += updates.length;
    if (this.updatesSinceSnapshot >= this.options.compactEveryUpdates) this.scheduleCompaction();
    return null;
  }

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown
  ) => {
    for (const id of added) this.awarenessChanged.add(id);
    for (const id of updated) this.awarenessChanged.add(id);
    for (const id of removed) this.awarenessChanged.add(id);
    if (this.awarenessChanged.size === 0 || this.awarenessTimer) return;
    if (this.options.awarenessIntervalMs === 0) this.sendAwareness();
    else this.awarenessTimer = setTimeout(this.sendAwareness, this.options.awarenessIntervalMs);
  };

  /**
   * Presence and cursors go out at most every `awarenessIntervalMs`, all changed states in one
   * message, to everyone (the origin too, as the classic server does: a client alone on a board
   * otherwise hears nothing for 30 s and y-websocket reconnects).
   */
  private sendAwareness = () => {
    this.awarenessTimer = null;
    if (this.closed || this.awarenessChanged.size === 0) return;
    const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awarenessChanged]));
    this.awarenessChanged.clear();
    for (const c of this.connections) c.send(message);
  };

  private scheduleCompaction(): void {
    if (this.compactionScheduled) return;
    this.compactionScheduled = true;
    setImmediate(() => {
      this.compactionScheduled = false;
      this.compact();
    });
  }

  /** Folds the log into a snapshot. The doc holds exactly the logged updates between ticks. */
  compact(): void {
    if (this.closed || this.flush() || this.updatesSinceSnapshot === 0) return;
    const started = performance.now();
    const upTo = this.lastUpdateId;
    const folded = this.updatesSinceSnapshot;
    this.logger.info({ upTo, updates: folded }, 'compaction started');
    try {
      const snapshot = (this.options.track ?? untracked)('compaction', { docId: this.docId, updates: folded }, () => {
        const state = Y.encodeStateAsUpdate(this.doc);
        this.log.compact(this.docId, state, upTo, { holdMs: this.options.compactionHoldMs });
        return state;
      });
      this.updatesSinceSnapshot = 0;
      this.logger.info({ upTo, updates: folded, snapshotBytes: snapshot.byteLength, ms: Math.round(performance.now() - started) }, 'compaction finished');
    } catch (err) {
      // Nothing is lost: the log rows stay until a compaction commits.
      this.logger.error({ err }, 'compaction failed');
    }
  }

  close(code: number = CloseCode.GoingAway, reason = 'board closed'): void {
    if (this.closed) return;
    if (code !== CloseCode.StorageFailed) this.flush();
    this.closed = true;
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    for (const c of this.connections) c.close(code, reason);
    this.connections.clear();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.awareness.doc.destroy();
    this.doc.destroy();
    this.onClose(this);
  }

  /**
   * SQLite refused the append (disk full, I/O error): nothing was broadcast, and memory is now
   * ahead of disk. The senders are closed with StorageFailed (a y-websocket client keeps its change
   * and sends it again when it reconnects); everyone else stays connected, and the doc is replaced
   * by what the disk holds, which is all they have seen.
   */
  private fail(err: unknown, senders: Set<Connection | null>): void {
    this.logger.error({ err, senders: senders.size }, 'could not store an update; nothing was broadcast; reloading the room from disk');
    for (const sender of senders) sender?.close(CloseCode.StorageFailed, STORAGE_FAILED_REASON);
    // Inside `atomically`, the disk's state is known only once the outer transaction ends.
    this.log.afterTransaction(() => this.reload());
  }

  private reload(): void {
    if (this.closed) return;
    let read;
    try {
      read = Room.read(this.docId, this.log, this.logger);
    } catch (err) {
      this.logger.error({ err }, 'could not reload the room from disk; closing it');
      const unavailable = err instanceof MingaError && err.code === 'BOARD_UNAVAILABLE';
      this.close(unavailable ? CloseCode.BoardUnavailable : CloseCode.StorageFailed, unavailable ? 'board unavailable' : STORAGE_FAILED_REASON);
      return;
    }
    const old = this.current;
    this.pending = null;
    this.owners = read.stored.clients;
    this.lastUpdateId = read.stored.lastUpdateId;
    this.updatesSinceSnapshot = read.stored.updates.length;
    // The server keeps its clientID: its unstored structs reached nobody (nothing was broadcast,
    // and sync replies and exports flush first), so their clocks are free again; and binding a new
    // one would need the disk that just failed.
    this.adopt(read.doc, old.clientID);
    old.destroy();
    this.logger.info({ updates: read.stored.updates.length }, 'room reloaded from disk');
  }

  private pickServerClientId(): number {
    let id = this.doc.clientID;
    while (this.owners.has(id) || this.awarenessOwners.has(id)) id = Math.floor(Math.random() * 2 ** 32);
    this.log.bind(this.docId, id, SERVER_OWNER);
    this.owners.set(id, SERVER_OWNER);
    return id;
  }
}
