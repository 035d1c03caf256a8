import type Database from 'better-sqlite3';
import { writeSync } from 'node:fs';
import { ClientClaimedError, type BoardStorage, type CompactionOptions, type StoredBoard } from './board-storage.ts';

/** One `atomically`: who waits for its commit, and the first append that failed in it. */
interface Unit {
  settle: (() => void)[];
  fail: ((err: unknown) => void)[];
  error: unknown;
}

/**
 * The board update log in SQLite: append-only rows, folded into one snapshot per board by
 * compaction. Prepared statements on the hot path (as Hocuspocus' SQLite extension does);
 * the tables themselves are declared with Drizzle in db/schema/board-log.ts. better-sqlite3 is
 * synchronous: each call does its work at once and answers with a settled promise, so appends of
 * one doc commit in call order.
 */
export class SqliteBoardStorage implements BoardStorage {
  private readonly stmt;

  constructor(private readonly sqlite: Database.Database) {
    this.stmt = {
      append: sqlite.prepare<[string, Buffer, number]>('INSERT INTO board_updates (board_id, data, created_at) VALUES (?, ?, ?)'),
      bind: sqlite.prepare<[string, number, string]>(
        'INSERT INTO board_clients (board_id, client_id, owner_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
      ),
      owner: sqlite.prepare<[string, number], { owner_id: string }>('SELECT owner_id FROM board_clients WHERE board_id = ? AND client_id = ?'),
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

  /** The appends of the running `atomically`, settled once it commits or rolls back. */
  private unit: Unit | null = null;

  atomically(work: () => void): Promise<void> {
    if (this.unit) return Promise.reject(new Error('atomically() does not nest'));
    const unit: Unit = { settle: [], fail: [], error: undefined };
    this.unit = unit;
    try {
      this.sqlite.transaction(() => {
        work();
        // An append that failed inside `work` rolls the whole unit back.
        if (unit.error !== undefined) throw unit.error;
      })();
    } catch (err) {
      for (const reject of unit.fail) reject(err);
      return Promise.reject(err);
    } finally {
      this.unit = null;
    }
    for (const resolve of unit.settle) resolve();
    return Promise.resolve();
  }

  /** Runs `write` now; the answer waits for the surrounding unit, if any, to commit. */
  private settled<T>(write: () => T): Promise<T> {
    const unit = this.unit;
    if (!unit) {
      try {
        return Promise.resolve(write());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return new Promise<T>((resolve, reject) => {
      unit.fail.push(reject);
      if (unit.error !== undefined) return;
      try {
        const value = write();
        unit.settle.push(() => resolve(value));
      } catch (err) {
        unit.error = err;
      }
    });
  }

  /** Ids of the private ideation docs of a board that have anything stored. */
  privateDocIds(boardId: string): Promise<string[]> {
    return this.settled(() => {
      const prefix = `${boardId}:private:`;
      const rows = this.stmt.privateDocs.all(prefix + '%', prefix + '%');
      return rows.map((r) => r.board_id).filter((id) => id.startsWith(prefix));
    });
  }

  load(boardId: string): Promise<StoredBoard> {
    return this.settled(() => this.loadNow(boardId));
  }

  /** `load`, answered at once (better-sqlite3 reads synchronously). */
  loadNow(boardId: string): StoredBoard {
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

  append(boardId: string, updates: readonly Uint8Array[], bindings: readonly (readonly [number, string])[] = []): Promise<number> {
    return this.settled(() => this.appendNow(boardId, updates, bindings));
  }

  /** `append`, done at once; throws if SQLite cannot write (tests and benches seed boards with it). */
  appendNow(boardId: string, updates: readonly Uint8Array[], bindings: readonly (readonly [number, string])[] = []): number {
    return this.sqlite.transaction(() => {
      for (const [client, owner] of bindings) this.claim(boardId, client, owner);
      let id = 0;
      const now = Date.now();
      for (const u of updates) id = Number(this.stmt.append.run(boardId, Buffer.from(u.buffer, u.byteOffset, u.byteLength), now).lastInsertRowid);
      return id;
    })();
  }

  bind(boardId: string, client: number, owner: string): Promise<void> {
    return this.settled(() => this.claim(boardId, client, owner));
  }

  /** Binds `client` unless it is bound already; throws if it is bound to someone else. */
  private claim(boardId: string, client: number, owner: string): void {
    if (this.stmt.bind.run(boardId, client, owner).changes > 0) return;
    const heldBy = this.stmt.owner.get(boardId, client)?.owner_id;
    if (heldBy !== undefined && heldBy !== owner) throw new ClientClaimedError(boardId, client, owner, heldBy);
  }

  compact(boardId: string, snapshot: Uint8Array, upToId: number, options: CompactionOptions = {}): Promise<void> {
    return this.settled(() => this.compactNow(boardId, snapshot, upToId, options));
  }

  private compactNow(boardId: string, snapshot: Uint8Array, upToId: number, options: CompactionOptions): void {
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
