import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { boardUnavailable, CloseCode, MingaError } from '../errors.ts';
import { ROOT_TYPES } from '../../../contract/board-document.ts';
import { checkWrites, groupsLeftFor } from './board-rules.ts';
import { countBoard, type BoardCounts } from './board-counts.ts';
import type { Identity } from '../auth/identity.ts';
import type { Connection } from './connection.ts';
import type { BoardStorage, StoredBoard } from './storage/board-storage.ts';
import { replayStored, StoredUpdateError } from './extensions/replay.ts';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol.ts';
import { refusal, type Refusal } from './refusals.ts';
import { untracked, type Log, type Track, type WriteGate } from './types.ts';
import { inspectUpdate } from './update-inspector.ts';
import { sanitizeAwarenessUpdate } from './awareness-filter.ts';
import { Throttle } from './extensions/throttle.ts';
import { BroadcastPacer } from './broadcast-pacer.ts';
import { localBroadcaster, type Broadcaster } from './broadcaster.ts';
import { PresenceRenewals } from './presence-renewals.ts';
import type { BroadcastPacing, PresenceRenewals as RenewalMode } from './wire-cadence.ts';
import {
  MAX_PRESENCE_BINDINGS_PER_PARTICIPANT,
  MAX_PRESENCE_CLIENTS_PER_CONNECTION,
  SYNC_STEP1_PARTICIPANT_BURST,
  SYNC_STEP1_PARTICIPANT_INTERVAL_MS
} from './limits.ts';

/** Transaction origins on a board doc, tagged by source. */
export type Origin =
  | { source: 'load' }
  | { source: 'client'; connection: Connection }
  | { source: 'server'; reason: string }
  /** Already stored by another process (sync/fanout/), or read back from storage to catch up. */
  | { source: 'remote' };

const REMOTE: Origin = { source: 'remote' };
/** Awareness origin of presence relayed from another process (not paced or relayed again here). */
const REMOTE_PRESENCE = 'remote';

export const SERVER_OWNER = 'server';
/** Close reason for a sender whose change could not be stored (≤ 123 bytes, as WebSocket allows). */
export const STORAGE_FAILED_REASON = 'No pudimos guardar tu cambio; se reintenta al reconectar. / Your change was not saved; it is retried on reconnect.';
const EMPTY_STATE_VECTOR = new Uint8Array([0]);
/**
 * The cached full sync is encoded afresh past this many stored updates, or a tail over 1/8 of its
 * size; a doc under 64 KiB (encoded in ~1 ms) is encoded afresh after every stored update.
 */
const FULL_SYNC_TAIL_MESSAGES = 256;
const FULL_SYNC_TAIL_SHARE = 8;
const FULL_SYNC_TAIL_MIN_BYTES = 64 * 1024;

const PRIVATE_MARK = ':private:';
const HIDDEN_MARK = ':hidden';
export const privateDocId = (boardId: string, participantId: string) => `${boardId}${PRIVATE_MARK}${participantId}`;
/** The facilitators' doc of a board's hidden ideas (and the votes kept aside with them), written by the server only. */
export const hiddenDocId = (boardId: string) => `${boardId}${HIDDEN_MARK}`;
export function parseDocId(docId: string): { boardId: string; privateOwner: string | null; hidden: boolean } {
  if (docId.endsWith(HIDDEN_MARK)) return { boardId: docId.slice(0, -HIDDEN_MARK.length), privateOwner: null, hidden: true };
  const at = docId.indexOf(PRIVATE_MARK);
  return at < 0
    ? { boardId: docId, privateOwner: null, hidden: false }
    : { boardId: docId.slice(0, at), privateOwner: docId.slice(at + PRIVATE_MARK.length), hidden: false };
}
export { ROOT_TYPES };

/** Accepted updates on their way through the output gate, and who waits for them. */
interface Batch {
  updates: Uint8Array[];
  bindings: [number, string][];
  senders: Set<Connection | null>;
  /** Settles with null once stored, or with the error that refused it. */
  stored: Promise<Error | null>;
  settle: (result: Error | null) => void;
}

function newBatch(): Batch {
  let settle!: (result: Error | null) => void;
  const stored = new Promise<Error | null>((resolve) => (settle = resolve));
  return { updates: [], bindings: [], senders: new Set(), stored, settle };
}

const STORED: Promise<Error | null> = Promise.resolve(null);

export interface RoomOptions {
  compactEveryUpdates: number;
  /** Group the client updates of one event-loop tick into one transaction and one broadcast. */
  batchWrites: boolean;
  /** Upper bound of the pause between two broadcasts of a busy room, in ms (0: one per tick). */
  broadcastIntervalMs: number;
  /** How broadcasts are paced (broadcast-pacer.ts); `token-bucket` unless a bench compares. */
  broadcastPacing?: BroadcastPacing;
  /** Whether unchanged presence renewals are held back (presence-renewals.ts); `paced` unless a bench compares. */
  presenceRenewals?: RenewalMode;
  /** Presence is broadcast at most this often (ms); 0 sends every change at once. */
  awarenessIntervalMs: number;
  compactionHoldMs: number;
  writeGate: WriteGate;
  /** Participants' updates are refused once this much is stored for the doc (bytes). */
  maxBoardBytes: number;
  /** Names the room's long operations (log load, compaction) for the event-loop monitor. */
  track?: Track;
  /** Where stored batches and presence go (broadcaster.ts); the room's own sockets by default. */
  broadcaster?: Broadcaster;
}

/**
 * One board's live doc. Every update it accepts is appended to SQLite before anyone else sees
 * it (output gate); refused updates change nothing.
 */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** clientID → owner, as stored in board_clients (by a write, or by presence alone). */
  private owners: Map<number, string>;
  /** owner → how many clientIDs it holds on this doc (bounds what presence may bind). */
  private readonly bindingCounts = new Map<string, number>();
  private lastUpdateId: number;
  private updatesSinceSnapshot: number;
  private captured: Uint8Array[] | null = null;
  /** What the doc emitted while applying updates another process stored (`applyStored`). */
  private remoteApplied: Uint8Array[] | null = null;
  private readonly broadcaster: Broadcaster;
  /** Accepted updates waiting for the output gate (appended, then broadcast, by `flush`). */
  private pending: Batch | null = null;
  /**
   * The append being committed (settles with its batch's outcome). One at a time: what arrives
   * meanwhile gathers in `pending` and goes in the next append (group commit).
   */
  private inflight: Promise<Error | null> | null = null;
  /** `flush` was asked for while an append was in flight: the pending batch follows it at once. */
  private flushAfterInflight = false;
  /** After a refused append, the doc is being read again from the store; nothing is accepted meanwhile. */
  private reloading: Promise<void> | null = null;
  /** When the batched updates go out: at once while the room's send budget lasts (broadcast-pacer.ts). */
  private readonly pacer: BroadcastPacer;
  private readonly awarenessChanged = new Set<number>();
  /** ClientIDs whose awareness state really changed in the update being handled ('change' precedes 'update'). */
  private readonly awarenessReallyChanged = new Set<number>();
  /** Unchanged presence renewals held back from the peers (presence-renewals.ts). */
  private readonly renewals: PresenceRenewals;
  /**
   * What most sync requests get: sync step 2 of the whole doc as it was when first asked for, then
   * the update messages stored since (re-encoding 8 MiB after every accepted update would cost
   * ~180 ms each time), exactly what a client connected back then would have received. Dropped,
   * to be encoded afresh, once the tail outgrows the FULL_SYNC_TAIL_* bounds.
   */
  private fullSync: { messages: Uint8Array[]; tailBytes: number } | null = null;
  /** Sync step 1 requests each participant may still make on this doc, over all its connections. */
  private readonly syncBudgets = new Map<string, Throttle>();
  private awarenessTimer: NodeJS.Timeout | null = null;
  private compactionScheduled = false;
  private closed = false;
  private counts!: BoardCounts;
  /** Bytes stored for this doc: its snapshot plus the updates logged after it. */
  private storedBytes: number;
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
  /** The board's hidden-ideas doc: facilitators read it, only the server writes it. */
  readonly hidden: boolean;

  private constructor(
    /** `<boardId>` or `<boardId>:private:<participantId>`. */
    readonly docId: string,
    /** Holds exactly the stored board (see `Room.load`). */
    private current: Y.Doc,
    private readonly storage: BoardStorage,
    private readonly options: RoomOptions,
    private readonly logger: Log,
    stored: StoredBoard
  ) {
    const parsed = parseDocId(docId);
    this.boardId = parsed.boardId;
    this.privateOwner = parsed.privateOwner;
    this.hidden = parsed.hidden;
    // Presence has a doc of its own, so that a reload can replace the board's doc under it.
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.broadcaster = options.broadcaster ?? localBroadcaster;
    this.owners = stored.clients;
    this.storedBytes = 0;
    this.lastUpdateId = 0;
    this.updatesSinceSnapshot = 0;
    this.takeStored(stored);
    this.adopt(current);
    this.awareness.setLocalState(null);
    this.pacer = new BroadcastPacer(options.broadcastPacing ?? 'token-bucket', options.broadcastIntervalMs, () => this.flush());
    this.renewals = new PresenceRenewals((ids) => this.relayRenewals(ids));
    this.awareness.on('change', this.onAwarenessChange);
    this.awareness.on('update', this.onAwarenessUpdate);
    if (this.updatesSinceSnapshot >= options.compactEveryUpdates) this.scheduleCompaction();
  }

  /**
   * Reads the board from SQLite. A stored row that does not replay makes this throw
   * `BoardUnavailable` (and log the row): a partial board is never served, and no row is touched,
   * so the next attempt after an operator's repair loads it whole.
   */
  static async load(docId: string, storage: BoardStorage, options: RoomOptions, logger: Log): Promise<Room> {
    const started = performance.now();
    const stored = await storage.load(docId);
    return Room.open(docId, stored, storage, options, logger, started);
  }

  /** The room of a board already read from the store (`load` reads it first). */
  static open(docId: string, stored: StoredBoard, storage: BoardStorage, options: RoomOptions, logger: Log, started = performance.now()): Room {
    const doc = (options.track ?? untracked)('log load', { docId }, () => Room.replay(docId, stored, logger));
    const room = new Room(docId, doc, storage, options, logger, stored);
    logger.info(
      { updates: stored.updates.length, snapshotBytes: stored.snapshot?.byteLength ?? 0, ms: Math.round(performance.now() - started) },
      'board loaded'
    );
    return room;
  }

  /** A doc holding exactly the stored board; throws `BoardUnavailable` if it does not replay. */
  private static replay(docId: string, stored: StoredBoard, logger: Log): Y.Doc {
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
    return doc;
  }

  /** The bookkeeping that follows what is stored: owners, counts of bindings, log position, bytes. */
  private takeStored(stored: StoredBoard): void {
    this.owners = stored.clients;
    this.bindingCounts.clear();
    for (const owner of this.owners.values()) this.bindingCounts.set(owner, (this.bindingCounts.get(owner) ?? 0) + 1);
    this.lastUpdateId = stored.lastUpdateId;
    this.updatesSinceSnapshot = stored.updates.length;
    this.storedBytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.data.byteLength, 0);
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
    this.fullSync = null;
    doc.clientID = clientId ?? this.pickServerClientId();
    this.counts = countBoard(doc);
    doc.on('update', (_update: Uint8Array, origin: Origin) => {
      if (origin?.source === 'remote' && this.remoteApplied && this.current === doc) this.remoteApplied.push(_update);
      else if (this.captured && this.current === doc) this.captured.push(_update);
      else {
        this.fullSync = null;
        this.logger.error({ origin: origin?.source }, 'doc changed outside a commit');
      }
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

  /**
   * Removes the presence the connection spoke for (unless another connection of the same person
   * still speaks for it) and frees its awareness bookkeeping; the clientIDs stay bound to their
   * owner in board_clients.
   */
  leave(connection: Connection): void {
    this.connections.delete(connection);
    if (!this.closed) this.onActivity(this);
    const gone = [...connection.awarenessIds].filter((id) => ![...this.connections].some((c) => c.awarenessIds.has(id)));
    if (gone.length === 0 || this.closed) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, gone, connection);
  }

  /** Judges and, if accepted, applies a participant's update. Returns the refusal, if any. */
  receiveUpdate(connection: Connection, update: Uint8Array): Refusal | null {
    const writer = connection.identity;
    const inspection = inspectUpdate(this.doc, update);
    if (!inspection.ok) return refusal(inspection.code, inspection.detail);
    // Clients send empty updates (y-websocket does on every connect): nothing to judge or store.
    if (inspection.writes.length === 0 && inspection.newClients.size === 0) return null;
    if (this.privateOwner !== null && writer.id !== this.privateOwner) return refusal('NOT_YOUR_IDEA', 'private doc of another participant');
    if (this.hidden) return refusal('HIDDEN_SERVER_ONLY');
    const gated = this.options.writeGate({ boardId: this.boardId, privateOwner: this.privateOwner, writer, writes: inspection.writes });
    if (gated) return gated;
    // A backstop under the rules' own bounds; facilitators may still write (and clean up).
    if (this.storedBytes > this.options.maxBoardBytes && writer.role !== 'facilitator') {
      // The log may hold mostly overwritten values: measure what a snapshot really takes first
      // (at once when nothing is being appended; otherwise once the appends are stored).
      if (this.updatesSinceSnapshot > 0) {
        if (this.idle) this.compactNow();
        else this.scheduleCompaction();
      }
      if (this.storedBytes > this.options.maxBoardBytes) return refusal('BOARD_FULL', `${this.storedBytes} bytes stored`);
    }
    const bindings: [number, string][] = [];
    for (const client of inspection.newClients) {
      const owner = this.owners.get(client);
      if (owner !== undefined && owner !== writer.id) return refusal('CLIENT_ID_TAKEN', `client ${client} owned by ${owner}`);
      if (owner === undefined) bindings.push([client, writer.id]);
    }
    const refused = checkWrites(inspection.writes, {
      doc: this.doc,
      writer,
      counts: this.counts,
      ownerOfEntry: (entry) => this.ownerOfEntry(entry, inspection.newClients.has(entry.client) ? writer.id : undefined)
    });
    if (refused) return refused;
    const error = this.commit(() => Y.applyUpdate(this.doc, update, { source: 'client', connection } satisfies Origin), connection, bindings, true);
    return error ? refusal('MALFORMED', error.message) : null;
  }

  /** Groups this person may still create here (board-rules.ts), for the suggestions they accept. */
  groupsLeft(writer: Identity): number | null {
    return groupsLeftFor({ doc: this.doc, ownerOfEntry: (entry) => this.ownerOfEntry(entry) }, writer);
  }

  /** Who wrote an entry; `unbound`: the owner of a client the store does not know yet (the update's writer). */
  private ownerOfEntry(entry: Y.ID, unbound?: string): string | undefined {
    const owner = this.owners.get(entry.client) ?? unbound;
    return owner === SERVER_OWNER ? this.namedAuthor(entry) : owner;
  }

  /** Entries the server created (revealed private ideas) belong to the author they name. */
  private namedAuthor(entry: Y.ID): string | undefined {
    if (entry.clock >= Y.getState(this.doc.store, entry.client)) return undefined;
    const item = Y.getItem(this.doc.store, entry);
    const type = item instanceof Y.Item && item.content instanceof Y.ContentType ? item.content.type : null;
    const author = type instanceof Y.Map ? type.get('authorId') : undefined;
    return typeof author === 'string' ? author : undefined;
  }

  /**
   * The messages that answer a client's sync step 1 (call `flush` first), or null for a malformed
   * state vector. A client that lacks most of the doc (a new one sends an empty state vector) gets
   * the cached whole doc: encoding it costs ~20 ms per MiB, sending the same bytes again nothing,
   * and Yjs skips what the client already had. Only a client that lacks less than half gets a
   * diff computed for it, whose cost is about its size.
   */
  syncReply(stateVector: Uint8Array): Uint8Array[] | null {
    let theirs: Map<number, number>;
    try {
      theirs = Y.decodeStateVector(stateVector);
    } catch {
      return null;
    }
    let total = 0;
    let held = 0;
    for (const client of this.doc.store.clients.keys()) {
      const clock = Y.getState(this.doc.store, client);
      total += clock;
      held += Math.min(clock, theirs.get(client) ?? 0);
    }
    if (held * 2 > total) return [encodeSyncStep2(this.doc, stateVector)];
    this.fullSync ??= { messages: [encodeSyncStep2(this.doc, EMPTY_STATE_VECTOR)], tailBytes: 0 };
    return this.fullSync.messages;
  }

  /** Takes one sync step 1 from the participant's budget on this doc; false when it is spent. */
  allowSyncRequest(participantId: string): boolean {
    let budget = this.syncBudgets.get(participantId);
    if (!budget) this.syncBudgets.set(participantId, (budget = new Throttle(1000 / SYNC_STEP1_PARTICIPANT_INTERVAL_MS, SYNC_STEP1_PARTICIPANT_BURST)));
    return budget.take();
  }

  /**
   * A write made by the server itself (votes, participants), persisted and broadcast like any
   * other; resolves once stored (null) or refused (the error). Its append starts at once, so
   * inside `BoardStorage.atomically` it joins the unit.
   */
  serverWrite(reason: string, write: (doc: Y.Doc) => void): Promise<Error | null> {
    return this.commit(() => this.doc.transact(() => write(this.doc), { source: 'server', reason } satisfies Origin), null, [], false);
  }

  /**
   * Updates another process has already stored (sync/fanout/), or that storage holds (`catchUp`):
   * applied to the doc as stored, with no write rule and no second append; the clientIDs they bound
   * are learned, and whatever was new here goes to this process's sockets. Applying something the
   * doc already holds changes and sends nothing, so a message heard twice is harmless.
   */
  applyStored(updates: readonly Uint8Array[], bindings: readonly (readonly [number, string])[], lastId: number): void {
    if (this.closed || this.reloading) return; // a reload reads storage, which holds them already
    for (const [client, owner] of bindings) this.learnOwner(client, owner);
    this.lastUpdateId = Math.max(this.lastUpdateId, lastId);
    this.remoteApplied = [];
    try {
      // One transaction: one 'update' event with what was new, however many updates came.
      this.doc.transact(() => {
        for (const u of updates) Y.applyUpdate(this.doc, u, REMOTE);
      }, REMOTE);
    } catch (err) {
      // Stored bytes came from a trusted server's doc; if one does not apply, the next catch-up retries.
      this.logger.error({ err }, 'could not apply an update stored elsewhere');
    }
    const applied = this.remoteApplied;
    this.remoteApplied = null;
    if (applied.length === 0) return;
    this.updatesSinceSnapshot += applied.length;
    for (const u of applied) this.storedBytes += u.byteLength;
    const message = encodeUpdate(applied.length === 1 ? applied[0]! : Y.mergeUpdates(applied));
    for (const c of this.connections) c.send(message);
    this.extendFullSync(message);
    this.onActivity(this);
  }

  /**
   * Reads the doc from storage and applies whatever of it this room lacks (`applyStored`): after a
   * missed fan-out message (Redis was down, a subscriber reconnected) storage, the authority, heals it.
   */
  async catchUp(): Promise<void> {
    if (this.closed) return;
    const stored = await this.storage.load(this.docId);
    const updates = stored.snapshot ? [stored.snapshot, ...stored.updates.map((u) => u.data)] : stored.updates.map((u) => u.data);
    this.applyStored(updates, [...stored.clients], stored.lastUpdateId);
  }

  /** Presence another process relayed (already sanitised and paced there): applied and sent on to this process's sockets. */
  applyRemoteAwareness(update: Uint8Array): void {
    if (this.closed) return;
    let removed: number[] = [];
    const onUpdate = (changes: { removed: number[] }, origin: unknown) => {
      if (origin === REMOTE_PRESENCE) removed = changes.removed;
    };
    this.awareness.on('update', onUpdate);
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_PRESENCE);
    } catch (err) {
      this.logger.warn({ err }, 'malformed presence from another process');
      return;
    } finally {
      this.awareness.off('update', onUpdate);
    }
    const message = encodeAwareness(update);
    for (const c of this.connections) c.send(message);
    for (const id of removed) this.awareness.meta.delete(id);
  }

  /** A clientID bound elsewhere (another process, or storage): owners and their counts follow. */
  private learnOwner(client: number, owner: string): void {
    const known = this.owners.get(client);
    if (known === owner) return;
    if (known !== undefined) this.bindingCounts.set(known, (this.bindingCounts.get(known) ?? 1) - 1);
    this.owners.set(client, owner);
    this.bindingCounts.set(owner, (this.bindingCounts.get(owner) ?? 0) + 1);
  }

  /**
   * The participant's awareness update, with `user` set by the server, foreign clientIDs dropped
   * and the bounds of limits.ts applied (entries, bytes, clientIDs per connection, budget).
   */
  receiveAwareness(connection: Connection, update: Uint8Array): void {
    const clean = sanitizeAwarenessUpdate(
      update,
      connection.identity,
      (client) => this.claimPresence(connection, client),
      (bytes) => connection.presenceBudget.take(bytes)
    );
    if (clean) awarenessProtocol.applyAwarenessUpdate(this.awareness, clean, connection);
  }

  /**
   * Whether the connection may speak for `client` on awareness. A clientID nobody owns is bound to
   * the speaker in board_clients at once, so that after a restart nobody else can write under a
   * reader's clientID (and have the reader's own later writes dropped as duplicates).
   */
  private claimPresence(connection: Connection, client: number): boolean {
    if (connection.awarenessIds.has(client)) return true;
    if (connection.awarenessIds.size >= MAX_PRESENCE_CLIENTS_PER_CONNECTION) return false;
    const me = connection.identity.id;
    const owner = this.owners.get(client);
    if (owner !== undefined && owner !== me) return false;
    if (owner === undefined) {
      const held = this.bindingCounts.get(me) ?? 0;
      if (held >= MAX_PRESENCE_BINDINGS_PER_PARTICIPANT) return false;
      this.owners.set(client, me);
      this.bindingCounts.set(me, held + 1);
      // Claimed now, so that nobody else takes it meanwhile; given back if it cannot be stored.
      this.storage.bind(this.docId, client, me).catch((err: unknown) => {
        this.logger.error({ err }, 'could not store a presence clientID');
        if (this.owners.get(client) !== me) return;
        this.owners.delete(client);
        this.bindingCounts.set(me, (this.bindingCounts.get(me) ?? 1) - 1);
        connection.awarenessIds.delete(client);
      });
    }
    connection.awarenessIds.add(client);
    return true;
  }

  /**
   * Runs a doc change and queues what the doc emitted (never the client's raw bytes) for the
   * output gate: `flush` appends it and only once it is stored broadcasts it. Client updates of
   * one event-loop tick share one append and one message; server writes are appended at once.
   * Returns the change's own error at once (a malformed update); `stored` settles with the append.
   */
  private commit(change: () => void, sender: Connection, bindings: [number, string][], batch: true): Error | null;
  private commit(change: () => void, sender: null, bindings: [number, string][], batch: false): Promise<Error | null>;
  private commit(change: () => void, sender: Connection | null, bindings: [number, string][], batch: boolean): Error | null | Promise<Error | null> {
    if (this.closed || this.reloading) {
      const refused = new Error(this.closed ? 'room closed' : 'room reloading after a storage fault');
      return batch ? refused : Promise.resolve(refused);
    }
    this.captured = [];
    let error: Error | null = null;
    try {
      change();
    } catch (err) {
      error = err as Error;
    }
    const updates = this.captured;
    this.captured = null;
    if (updates.length === 0) return batch ? error : Promise.resolve(error);
    // Bound now so the next update is judged against it; if the append fails the room reloads
    // what the disk holds anyway. The same for the counts of what is (or is about to be) stored.
    for (const [client, owner] of bindings) {
      this.owners.set(client, owner);
      this.bindingCounts.set(owner, (this.bindingCounts.get(owner) ?? 0) + 1);
    }
    this.updatesSinceSnapshot += updates.length;
    for (const u of updates) this.storedBytes += u.byteLength;
    const pending = (this.pending ??= newBatch());
    pending.updates.push(...updates);
    pending.bindings.push(...bindings);
    pending.senders.add(sender);
    if (batch && this.options.batchWrites) {
      // At the end of this tick while the room's send budget lasts; a busy big room waits only
      // for the budget its broadcast lacks (one socket write per connection, broadcast-pacer.ts).
      this.pacer.request(this.connections.size);
      return error;
    }
    if (batch) {
      void this.flush();
      return error;
    }
    this.appendPending();
    return pending.stored.then((failed) => failed ?? error);
  }

  /** Nothing waits to be appended and no append is in flight: the doc is exactly what is stored. */
  get idle(): boolean {
    return this.pending === null && this.inflight === null && this.reloading === null;
  }

  /**
   * Appends the queued updates (after the append in flight, if any), then broadcasts them as one
   * message; resolves once everything accepted so far is stored (null) or refused (the error).
   * Await it before anything shows this doc's content to someone (sync step 2, exports,
   * snapshots). If the store fails, nobody sees the change and the room reloads what is stored.
   */
  flush(): Promise<Error | null> {
    const pending = this.pending;
    if (!pending || this.closed) return this.inflight ?? STORED;
    if (this.inflight) this.flushAfterInflight = true;
    else this.appendPending();
    return pending.stored;
  }

  /** Resolves once the doc holds nothing unstored (null), or with the error of a refused append. */
  async whenStored(): Promise<Error | null> {
    while (!this.idle && !this.closed) {
      if (this.reloading) await this.reloading;
      const failed = await this.flush();
      if (failed) return failed;
    }
    return null;
  }

  /**
   * Runs `read` at a moment the doc holds exactly what is stored, in the same task as that check
   * (exports, checkpoints); rejects if an append was refused.
   */
  async readStored<T>(read: (doc: Y.Doc) => T): Promise<T> {
    for (;;) {
      const failed = await this.whenStored();
      if (failed) throw new Error('the board could not be stored', { cause: failed });
      if (this.idle || this.closed) return read(this.doc);
    }
  }

  private appendPending(): void {
    const batch = this.pending;
    if (!batch) return;
    this.pending = null;
    this.flushAfterInflight = false;
    this.pacer.spent(this.connections.size);
    const settled = this.storage.append(this.docId, batch.updates, batch.bindings).then(
      (id) => this.stored(batch, id),
      (err: unknown) => this.fail(err, batch)
    );
    this.inflight = batch.stored;
    void settled.then(() => {
      if (this.inflight === batch.stored) this.inflight = null;
      // Even once closed: what was accepted before the close is still stored.
      if (this.flushAfterInflight && this.inflight === null) this.appendPending();
    });
  }

  /** The batch is stored: now everyone may see it. */
  private stored(batch: Batch, id: number): void {
    this.lastUpdateId = Math.max(this.lastUpdateId, id);
    batch.settle(null);
    if (this.closed) return;
    const { updates, senders } = batch;
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    const message = encodeUpdate(update);
    // A lone sender already has its own change; with several senders everyone gets the merge.
    const skip = senders.size === 1 ? ([...senders][0] ?? null) : null;
    this.broadcaster.update(this, { docId: this.docId, update, message, bindings: batch.bindings, lastId: id, skip });
    this.extendFullSync(message);
    this.onActivity(this);
    this.onStored(this);
    if (this.updatesSinceSnapshot >= this.options.compactEveryUpdates) this.scheduleCompaction();
  }

  /** The cached full sync gains a stored update, or is dropped when its tail has grown too long. */
  private extendFullSync(message: Uint8Array): void {
    const full = this.fullSync;
    if (!full) return;
    const size = full.messages[0]!.byteLength;
    full.tailBytes += message.byteLength;
    const outgrown = full.messages.length > FULL_SYNC_TAIL_MESSAGES || full.tailBytes * FULL_SYNC_TAIL_SHARE > size;
    if (size < FULL_SYNC_TAIL_MIN_BYTES || outgrown) this.fullSync = null;
    else full.messages.push(message);
  }

  private onAwarenessChange = ({ updated }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === REMOTE_PRESENCE) return;
    for (const id of updated) this.awarenessReallyChanged.add(id);
  };

  /**
   * Added and removed presence, and changed states, go out with the next presence broadcast; a
   * renewal of an unchanged state is held back (presence-renewals.ts) unless nothing of the client
   * went out yet.
   */
  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown
  ) => {
    // Another process paced and relayed it already (`applyRemoteAwareness` sends it on).
    if (origin === REMOTE_PRESENCE) return;
    const relayAll = this.options.presenceRenewals === 'relay-all';
    for (const id of added) {
      this.awarenessChanged.add(id);
      this.renewals.relayed(id);
    }
    for (const id of updated) {
      if (relayAll || this.awarenessReallyChanged.has(id) || this.renewals.renewed(id)) {
        this.awarenessChanged.add(id);
        this.renewals.relayed(id);
      }
    }
    this.awarenessReallyChanged.clear();
    for (const id of removed) {
      this.awarenessChanged.add(id);
      this.renewals.forget(id);
    }
    this.scheduleAwareness();
  };

  /** The held renewals that are due go out with the next presence broadcast. */
  private relayRenewals(ids: number[]): void {
    for (const id of ids) if (this.awareness.states.has(id)) this.awarenessChanged.add(id);
    this.scheduleAwareness();
  }

  private scheduleAwareness(): void {
    if (this.closed || this.awarenessChanged.size === 0 || this.awarenessTimer) return;
    if (this.options.awarenessIntervalMs === 0) this.sendAwareness();
    else this.awarenessTimer = setTimeout(this.sendAwareness, this.options.awarenessIntervalMs);
  }

  /**
   * Presence and cursors go out at most every `awarenessIntervalMs`, all changed states in one
   * message, to everyone (the origin too, as the classic server does: a client alone on a board
   * otherwise hears nothing for 30 s and y-websocket reconnects). Once a removal has gone out, its
   * clock is forgotten too, so presence that came and went leaves nothing behind.
   */
  private sendAwareness = () => {
    this.awarenessTimer = null;
    if (this.closed || this.awarenessChanged.size === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awarenessChanged]);
    const message = encodeAwareness(update);
    for (const id of this.awarenessChanged) if (!this.awareness.states.has(id)) this.awareness.meta.delete(id);
    this.awarenessChanged.clear();
    this.broadcaster.awareness(this, update, message);
  };

  private scheduleCompaction(): void {
    if (this.compactionScheduled) return;
    this.compactionScheduled = true;
    setImmediate(() => {
      this.compactionScheduled = false;
      void this.compact();
    });
  }

  /** Folds the log into a snapshot once what is queued is stored; resolves when it is done (or failed). */
  async compact(): Promise<void> {
    if (this.closed || (await this.whenStored())) return;
    // Compacted at the first moment the doc holds exactly the logged updates.
    if (this.idle) await this.compactNow();
  }

  /** Starts the compaction now (the doc must hold exactly what is stored); settles when it is stored. */
  private compactNow(): Promise<void> {
    if (this.closed || this.updatesSinceSnapshot === 0) return Promise.resolve();
    const started = performance.now();
    const upTo = this.lastUpdateId;
    const folded = this.updatesSinceSnapshot;
    const before = this.storedBytes;
    this.logger.info({ upTo, updates: folded }, 'compaction started');
    let snapshot!: Uint8Array;
    let done: Promise<void>;
    try {
      done = (this.options.track ?? untracked)('compaction', { docId: this.docId, updates: folded }, () => {
        snapshot = Y.encodeStateAsUpdate(this.doc);
        return this.storage.compact(this.docId, snapshot, upTo, { holdMs: this.options.compactionHoldMs });
      });
    } catch (err) {
      done = Promise.reject(err);
    }
    // Counted at once, as appends are when queued: what the store holds once this commits.
    this.updatesSinceSnapshot -= folded;
    this.storedBytes += (snapshot?.byteLength ?? before) - before;
    return done.then(
      () => {
        this.logger.info({ upTo, updates: folded, snapshotBytes: snapshot.byteLength, ms: Math.round(performance.now() - started) }, 'compaction finished');
      },
      (err: unknown) => {
        // Nothing is lost: the log rows stay until a compaction commits.
        this.updatesSinceSnapshot += folded;
        this.storedBytes += before - (snapshot?.byteLength ?? before);
        this.logger.error({ err }, 'compaction failed');
      }
    );
  }

  close(code: number = CloseCode.GoingAway, reason = 'board closed'): void {
    if (this.closed) return;
    // What was accepted is still stored; nobody is left to see it broadcast. After a storage
    // fault it is dropped instead, and whoever waits for it hears so.
    if (code !== CloseCode.StorageFailed) void this.flush();
    else {
      this.pending?.settle(new Error('room closed after a storage fault'));
      this.pending = null;
    }
    this.closed = true;
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.pacer.cancel();
    this.renewals.stop();
    for (const c of this.connections) c.close(code, reason);
    this.connections.clear();
    this.awareness.off('change', this.onAwarenessChange);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.awareness.doc.destroy();
    this.doc.destroy();
    this.onClose(this);
  }

  /**
   * The store refused the append (disk full, I/O error): nothing was broadcast, and memory is now
   * ahead of disk. The senders of that batch, and of what gathered behind it, are closed with
   * StorageFailed (a y-websocket client keeps its change and sends it again when it reconnects);
   * everyone else stays connected, and the doc is replaced by what the disk holds, which is all
   * they have seen. Settles after the store's unit (if any) has ended, so the disk is known.
   */
  private fail(err: unknown, batch: Batch): void {
    const error = err instanceof Error ? err : new Error(String(err));
    const behind = this.pending;
    this.pending = null;
    const senders = new Set([...batch.senders, ...(behind?.senders ?? [])]);
    this.logger.error({ err, senders: senders.size }, 'could not store an update; nothing was broadcast; reloading the room from disk');
    for (const sender of senders) sender?.close(CloseCode.StorageFailed, STORAGE_FAILED_REASON);
    this.reloading ??= this.reload().finally(() => (this.reloading = null));
    batch.settle(error);
    behind?.settle(error);
  }

  private async reload(): Promise<void> {
    if (this.closed) return;
    let read;
    try {
      const stored = await this.storage.load(this.docId);
      if (this.closed) return;
      read = { stored, doc: Room.replay(this.docId, stored, this.logger) };
    } catch (err) {
      this.logger.error({ err }, 'could not reload the room from disk; closing it');
      const unavailable = err instanceof MingaError && err.code === 'BOARD_UNAVAILABLE';
      this.close(unavailable ? CloseCode.BoardUnavailable : CloseCode.StorageFailed, unavailable ? 'board unavailable' : STORAGE_FAILED_REASON);
      return;
    }
    const old = this.current;
    this.pending = null;
    this.takeStored(read.stored);
    // The server keeps its clientID: its unstored structs reached nobody (nothing was broadcast,
    // and sync replies and exports flush first), so their clocks are free again; and binding a new
    // one would need the disk that just failed.
    this.adopt(read.doc, old.clientID);
    old.destroy();
    this.logger.info({ updates: read.stored.updates.length }, 'room reloaded from disk');
  }

  private pickServerClientId(): number {
    let id = this.doc.clientID;
    while (this.owners.has(id)) id = Math.floor(Math.random() * 2 ** 32);
    this.owners.set(id, SERVER_OWNER);
    // Called before the server's first append, which the store commits after it.
    this.storage.bind(this.docId, id, SERVER_OWNER).catch((err: unknown) => this.logger.error({ err }, 'could not store the server clientID'));
    return id;
  }
}
