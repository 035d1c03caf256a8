import { and, asc, eq, inArray, like, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { PgDb } from '../../../../db/pg.ts';
import { boardClients, boardSnapshots, boardUpdates } from '../../../../db/schema-pg/board-log.ts';
import { ClientClaimedError, type BoardStorage, type CompactionOptions, type StoredBoard } from './board-storage.ts';
import { pgUnitOf, type PgTx, type PgUnitOfWork } from './pg-unit.ts';

type Binding = readonly [number, string];

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * The board update log in PostgreSQL (db/schema-pg/board-log.ts), for several Minga processes on
 * one database. Same semantics as `SqliteBoardStorage`; what differs is what several writers need:
 * - writes of one doc run one after another in this process (lanes of `PgUnitOfWork`); across
 *   processes row ids come from one sequence, so a row may commit after a higher one: `load`
 *   therefore reads every row the snapshot has not folded, not "rows after the snapshot's id";
 * - clientID claims are decided here (insert, then check the owner), never by one process' memory;
 * - compaction deletes the rows ≤ upToId that are committed (DELETE … RETURNING) and folds exactly
 *   those, with the stored snapshot, into the new one, under a per-doc advisory lock so that two
 *   processes' compactions take turns. An append needs no lock: a row it commits meanwhile is
 *   either folded or stays in the log.
 */
export class PgBoardStorage implements BoardStorage {
  private readonly unit: PgUnitOfWork;

  constructor(db: PgDb) {
    this.unit = pgUnitOf(db);
  }

  load(docId: string): Promise<StoredBoard> {
    // Repeatable read: the snapshot and the rows come from one moment, even if a compaction
    // commits between the two reads.
    return this.unit.run([docId], (tx) => loadIn(tx, docId), { isolationLevel: 'repeatable read', accessMode: 'read only' });
  }

  append(docId: string, updates: readonly Uint8Array[], bindings: readonly Binding[] = []): Promise<number> {
    return this.unit.run([docId], async (tx) => {
      if (bindings.length > 0) await claim(tx, docId, bindings);
      if (updates.length === 0) return 0;
      const createdAt = Date.now();
      const rows = await tx
        .insert(boardUpdates)
        .values(updates.map((u) => ({ boardId: docId, data: bytes(u), createdAt })))
        .returning({ id: boardUpdates.id });
      return Math.max(...rows.map((r) => r.id));
    });
  }

  bind(docId: string, client: number, owner: string): Promise<void> {
    return this.unit.run([docId], (tx) => claim(tx, docId, [[client, owner]]));
  }

  compact(docId: string, snapshot: Uint8Array, upToId: number, options: CompactionOptions = {}): Promise<void> {
    return this.unit.run([docId], async (tx) => {
      // Two processes' compactions of one doc take turns (the lock ends with the transaction).
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${docId}))`);
      const [stored] = await tx
        .select({ data: boardSnapshots.data, lastUpdateId: boardSnapshots.lastUpdateId })
        .from(boardSnapshots)
        .where(eq(boardSnapshots.boardId, docId));
      const folded = await tx
        .delete(boardUpdates)
        .where(and(eq(boardUpdates.boardId, docId), lte(boardUpdates.id, upToId)))
        .returning({ id: boardUpdates.id, data: boardUpdates.data });
      folded.sort((a, b) => a.id - b.id);
      // Stored bytes only (written by servers, never a client's raw message), so merging is safe.
      const parts = [...(stored ? [new Uint8Array(stored.data)] : []), snapshot, ...folded.map((r) => new Uint8Array(r.data))];
      const data = bytes(parts.length === 1 ? snapshot : Y.mergeUpdates(parts));
      const lastUpdateId = Math.max(upToId, stored?.lastUpdateId ?? 0);
      const updatedAt = Date.now();
      await tx
        .insert(boardSnapshots)
        .values({ boardId: docId, data, lastUpdateId, updatedAt })
        .onConflictDoUpdate({ target: boardSnapshots.boardId, set: { data, lastUpdateId, updatedAt } });
      // Fault injection for crash tests: the transaction stays open, its rows locked.
      if (options.holdMs) await tx.execute(sql`SELECT pg_sleep(${options.holdMs / 1000})`);
    });
  }

  privateDocIds(boardId: string): Promise<string[]> {
    const prefix = `${boardId}:private:`;
    return this.unit.run([], async (tx) => {
      const pattern = prefix + '%';
      const rows = await tx
        .selectDistinct({ id: boardUpdates.boardId })
        .from(boardUpdates)
        .where(like(boardUpdates.boardId, pattern))
        .union(tx.select({ id: boardSnapshots.boardId }).from(boardSnapshots).where(like(boardSnapshots.boardId, pattern)));
      // LIKE reads `_` in the prefix as a wildcard.
      return rows.map((r) => r.id).filter((id) => id.startsWith(prefix));
    });
  }

  atomically(work: () => void): Promise<void> {
    return this.unit.atomically(work);
  }
}

async function loadIn(tx: PgTx, docId: string): Promise<StoredBoard> {
  const [snap] = await tx
    .select({ data: boardSnapshots.data, lastUpdateId: boardSnapshots.lastUpdateId })
    .from(boardSnapshots)
    .where(eq(boardSnapshots.boardId, docId));
  const rows = await tx
    .select({ id: boardUpdates.id, data: boardUpdates.data })
    .from(boardUpdates)
    .where(eq(boardUpdates.boardId, docId))
    .orderBy(asc(boardUpdates.id));
  const clients = new Map<number, string>();
  const bound = await tx.select({ client: boardClients.clientId, owner: boardClients.ownerId }).from(boardClients).where(eq(boardClients.boardId, docId));
  for (const row of bound) clients.set(row.client, row.owner);
  const after = snap?.lastUpdateId ?? 0;
  return {
    snapshot: snap ? new Uint8Array(snap.data) : null,
    updates: rows.map((r) => ({ id: r.id, data: new Uint8Array(r.data) })),
    lastUpdateId: Math.max(after, ...rows.map((r) => r.id)),
    clients
  };
}

/** Inserts the bindings that are new; any clientID already held by another owner fails the transaction. */
async function claim(tx: PgTx, docId: string, bindings: readonly Binding[]): Promise<void> {
  const inserted = await tx
    .insert(boardClients)
    .values(bindings.map(([clientId, ownerId]) => ({ boardId: docId, clientId, ownerId })))
    .onConflictDoNothing()
    .returning({ client: boardClients.clientId });
  const mine = new Set(inserted.map((r) => r.client));
  const others = bindings.filter(([client]) => !mine.has(client));
  if (others.length === 0) return;
  const held = await tx
    .select({ client: boardClients.clientId, owner: boardClients.ownerId })
    .from(boardClients)
    .where(and(eq(boardClients.boardId, docId), inArray(boardClients.clientId, others.map(([c]) => c))));
  const owners = new Map(held.map((r) => [r.client, r.owner]));
  for (const [client, owner] of others) {
    const heldBy = owners.get(client);
    if (heldBy !== undefined && heldBy !== owner) throw new ClientClaimedError(docId, client, owner, heldBy);
  }
}
