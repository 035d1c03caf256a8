/**
 * Where boards' docs are stored: an append-only log of Yjs updates per doc, the clientIDs bound
 * to their writers, and a snapshot that compaction folds the log into. Every method answers with
 * a Promise, so a store across the network fits behind it; `SqliteBoardStorage` is the embedded
 * one. The room awaits `append` before it broadcasts (the output gate, DESIGN.md).
 */
export interface BoardStorage {
  /** The stored doc (empty for a new one). */
  load(docId: string): Promise<StoredBoard>;
  /**
   * Appends updates and the clientID bindings they introduce, all or nothing; resolves with the id
   * of the last row once committed, rejects if nothing was stored. Appends of one doc commit in
   * the order they were called. A binding of a clientID that storage already holds for another
   * owner rejects the whole append with `ClientClaimedError`: storage decides clientID claims, so
   * two processes can never give one clientID to two writers.
   */
  append(docId: string, updates: readonly Uint8Array[], bindings?: readonly (readonly [number, string])[]): Promise<number>;
  /**
   * Binds a clientID to its owner (a no-op if it is bound to that owner already); rejects with
   * `ClientClaimedError` if storage holds it for another owner.
   */
  bind(docId: string, client: number, owner: string): Promise<void>;
  /**
   * Replaces the log up to `upToId` with `snapshot` (which covers every update up to it), all or
   * nothing: a crash at any point leaves the old rows or the new snapshot. A store shared by
   * several processes folds the stored snapshot and rows ≤ `upToId` into it as well, so a row
   * another process appended and this one has not applied yet is never dropped.
   */
  compact(docId: string, snapshot: Uint8Array, upToId: number, options?: CompactionOptions): Promise<void>;
  /** Ids of the private ideation docs of a board that have anything stored. */
  privateDocIds(boardId: string): Promise<string[]>;
  /**
   * Runs `work` (synchronously) as one unit: the appends it starts, on any docs, commit together
   * with it or not at all, and their promises settle only after that. Rejects (and stores nothing)
   * if `work` throws or an append fails. Units do not nest.
   */
  atomically(work: () => void): Promise<void>;
}

export interface StoredBoard {
  snapshot: Uint8Array | null;
  /** Updates after the snapshot, oldest first, with their row ids. */
  updates: { id: number; data: Uint8Array }[];
  /** Id of the newest row (in the log or folded into the snapshot); 0 for a new board. */
  lastUpdateId: number;
  /** clientID → owner id (participant id, `fac-…` or `server`). */
  clients: Map<number, string>;
}

export interface CompactionOptions {
  /** Fault injection for crash tests: keep the transaction open this long (ms) before commit. */
  holdMs?: number;
}

/** A clientID binding refused because storage holds that clientID for another owner. */
export class ClientClaimedError extends Error {
  override readonly name = 'ClientClaimedError';

  constructor(
    readonly docId: string,
    readonly client: number,
    readonly owner: string,
    readonly heldBy: string
  ) {
    super(`clientID ${client} of ${docId} is bound to ${heldBy}, not ${owner}`);
  }
}
