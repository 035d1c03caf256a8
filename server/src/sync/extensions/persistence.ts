import type Database from 'better-sqlite3';
import { writeSync } from 'node:fs';

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

/**
 * The board update log in SQLite: append-only rows, folded into one snapshot per board by
 * compaction. Prepared statements on the hot path (as Hocuspocus' SQLite extension does);
 * the tables themselves are declared with Drizzle in db/schema/board-log.ts.
 */
export class BoardLog {
  private readonly stmt;

  constructor(private readonly sqlite: Database.Database) {
    this.stmt = {
      append: sqlite.prepare<[string, Buffer, number]>('INSERT INTO board_updates (board_id, data, created_at) VALUES (?, ?, ?)'),
      bind: sqlite.prepare<[string, number, string]>(
        'INSERT INTO board_clients (board_id, client_id, owner_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
      ),
      snapshot: sqlite.prepare<[string], { data: Buffer; last_update_id: number }>(
        'SELECT data, last_update_id FROM board_snapshots WHERE board_id = ?'
      ),
      updatesAfter: sqlite.prepare<[string, number], { id: number; data: Buffer }>(
        'SELECT id, data FROM board_updates WHERE board_id = ? AND id > ? ORDER BY id'
      ),
      clients: sqlite.prepare<[string], { client_id: number; owner_id: string }>(
        'SELECT client_id, owner_id FROM board_clients WHERE board_id = ?'
      ),
      saveSnapshot: sqlite.prepare<[string, Buffer, number, number]>(
        `INSERT INTO board_snapshots (board_id, data, last_update_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, last_update_id = excluded.last_update_id, updated_at = excluded.updated_at`
      ),
      privateDocs: sqlite.prepare<[string, string], { board_id: string }>(
        'SELECT DISTINCT board_id FROM board_updates WHERE board_id LIKE ? UNION SELECT board_id FROM board_snapshots WHERE board_id LIKE ?'
      ),
      dropUpTo: sqlite.prepare<[string, number]>('DELETE FROM board_updates WHERE board_id = ? AND id <= ?')
    };
  }

  /** Broadcasts held back until the surrounding `atomically` commits. */
  private deferred: (() => void)[] | null = null;
  /** Work that must see the disk as it is once the surrounding `atomically` ends, either way. */
  private afterEnd: (() => void)[] = [];

  /**
   * Runs several rooms' commits in one SQLite transaction; their broadcasts wait for the commit
   * (output gate). If it throws, nothing was stored and nothing was sent.
   */
  atomically(fn: () => void): void {
    if (this.deferred) throw new Error('atomically() does not nest');
    this.deferred = [];
    let held: (() => void)[];
    try {
      this.sqlite.transaction(fn)();
    } finally {
      held = this.deferred;
      this.deferred = null;
      for (const run of this.afterEnd.splice(0)) run();
    }
    for (const send of held) send();
  }

  /** Runs now, or once the surrounding `atomically` has committed or rolled back. */
  afterTransaction(run: () => void): void {
    if (this.deferred) this.afterEnd.push(run);
    else run();
  }

  /** Sends now, or after the surrounding `atomically` commits. */
  afterCommit(send: () => void): void {
    if (this.deferred) this.deferred.push(send);
    else send();
  }

  /** Ids of the private ideation docs of a board that have anything stored. */
  privateDocIds(boardId: string): string[] {
    const prefix = `${boardId}:private:`;
    const rows = this.stmt.privateDocs.all(prefix + '%', prefix + '%');
    return rows.map((r) => r.board_id).filter((id) => id.startsWith(prefix));
  }

  load(boardId: string): StoredBoard {
    const snap = this.stmt.snapshot.get(boardId);
    const after = snap?.last_update_id ?? 0;
    const rows = this.stmt.updatesAfter.all(boardId, after);
    const clients = new Map<number, string>();
    for (const row of this.stmt.clients.all(boardId)) clients.set(row.client_id, row.owner_id);
    return {
      snapshot: snap ? new Uint8Array(snap.data) : null,
      updates: rows.map((r) => ({ id: r.id, data: new Uint8Array(r.data) })),
      lastUpdateId: rows.length > 0 ? rows[rows.length - 1]!.id : after,
      clients
    };
  }

  /**
   * Appends updates and the clientID bindings they introduce in one transaction; returns the id of
   * the last row. Throws if SQLite cannot write: the caller must not broadcast then.
   */
  append(boardId: string, updates: readonly Uint8Array[], bindings: readonly (readonly [number, string])[] = []): number {
    return this.sqlite.transaction(() => {
      for (const [client, owner] of bindings) this.stmt.bind.run(boardId, client, owner);
      let id = 0;
      const now = Date.now();
      for (const u of updates) id = Number(this.stmt.append.run(boardId, Buffer.from(u.buffer, u.byteOffset, u.byteLength), now).lastInsertRowid);
      return id;
    })();
  }

  bind(boardId: string, client: number, owner: string): void {
    this.stmt.bind.run(boardId, client, owner);
  }

  /**
   * Replaces the log up to `upToId` with `snapshot` (which must cover every update up to it) in one
   * transaction: a crash at any point leaves either the old rows or the new snapshot.
   */
  compact(boardId: string, snapshot: Uint8Array, upToId: number, options: CompactionOptions = {}): void {
    this.sqlite.transaction(() => {
      this.stmt.saveSnapshot.run(boardId, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), upToId, Date.now());
      this.stmt.dropUpTo.run(boardId, upToId);
      if (options.holdMs) {
        // Written synchronously: the async logger's buffer would not flush while the thread waits.
        writeSync(2, `compaction transaction held open for ${options.holdMs} ms (fault injection)\n`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, options.holdMs);
      }
    })();
  }
}
