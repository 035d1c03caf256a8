import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import type { PgDb } from '../../../db/pg.ts';
import { boardSessions } from '../../../db/schema/sessions.ts';
import { boardSessions as pgBoardSessions } from '../../../db/schema-pg/sessions.ts';
import { pgUnitOf } from '../sync/storage/pg-unit.ts';
import type { SessionRecord } from './session-state.ts';

/** A board's stored session and the version of its row (0: no row yet). */
export interface StoredSession {
  record: SessionRecord;
  version: number;
  /** The "Deshacer" offer of the last end, if one was stored. */
  undo: UndoOffer | null;
}

/**
 * What "Deshacer" after ending a session needs: the session as it was, when it ended, and the
 * hash of the token the facilitator who ended it was given (only they can undo it).
 */
export interface UndoOffer {
  tokenHash: string;
  record: SessionRecord;
  at: number;
}

/**
 * Session records, one row per board, written on every change. The row is the authority when
 * several processes share the database: `save` is a compare-and-set on the row's version, so a
 * command read from an old row is refused (`SessionConflictError`) instead of overwriting a
 * change another process made; the caller reloads and applies it again.
 */
export interface SessionStore {
  load(boardId: string): Promise<StoredSession | null>;
  all(): Promise<({ boardId: string } & StoredSession)[]>;
  /**
   * Stores `record` if the row still has `version` (0: if there is no row yet); resolves with the
   * row's new version. Inside `BoardStorage.atomically` it joins the unit; on SQLite the write runs
   * at once, and a conflict throws there (so a surrounding transaction rolls back). `undo` sets
   * the row's "Deshacer" offer (null clears it); left out, the stored offer stays.
   */
  save(boardId: string, record: SessionRecord, version: number, undo?: UndoOffer | null): Promise<number>;
}

/** The session row changed since it was read (another command, perhaps on another process). */
export class SessionConflictError extends Error {
  override readonly name = 'SessionConflictError';

  constructor(
    readonly boardId: string,
    readonly version: number
  ) {
    super(`the session of ${boardId} is no longer at version ${version}`);
  }
}

/** A row of either dialect as the store answers it. */
const stored = (row: { state: unknown; version: number; undo: unknown }): StoredSession => ({
  record: row.state as SessionRecord,
  version: row.version,
  undo: (row.undo as UndoOffer | null) ?? null
});

export function createSessionStore(db: Db): SessionStore {
  const saveNow = (boardId: string, record: SessionRecord, version: number, undo: UndoOffer | null | undefined): number => {
    const updatedAt = Date.now();
    const next = version + 1;
    const changed =
      version === 0
        ? db.insert(boardSessions).values({ boardId, state: record, updatedAt, version: next, undo }).onConflictDoNothing().run().changes
        : db
            .update(boardSessions)
            .set({ state: record, updatedAt, version: next, undo })
            .where(and(eq(boardSessions.boardId, boardId), eq(boardSessions.version, version)))
            .run().changes;
    if (changed === 0) throw new SessionConflictError(boardId, version);
    return next;
  };
  return {
    async load(boardId) {
      const row = db.select().from(boardSessions).where(eq(boardSessions.boardId, boardId)).get();
      return row ? stored(row) : null;
    },
    async all() {
      return db
        .select()
        .from(boardSessions)
        .all()
        .map((row) => ({ boardId: row.boardId, ...stored(row) }));
    },
    // Not async: inside `atomically` a conflict must throw while the SQLite transaction is open, so
    // that it rolls back.
    save(boardId, record, version, undo) {
      return Promise.resolve(saveNow(boardId, record, version, undo));
    }
  };
}

/** The same on PostgreSQL; writes go through the database's unit of work (pg-unit.ts). */
export function createPgSessionStore(db: PgDb): SessionStore {
  const unit = pgUnitOf(db);
  const t = pgBoardSessions;
  return {
    async load(boardId) {
      const [row] = await db.select().from(t).where(eq(t.boardId, boardId));
      return row ? stored(row) : null;
    },
    async all() {
      const rows = await db.select().from(t);
      return rows.map((row) => ({ boardId: row.boardId, ...stored(row) }));
    },
    save(boardId, record, version, undo) {
      return unit.run([`session:${boardId}`], async (tx) => {
        const updatedAt = Date.now();
        const next = version + 1;
        const rows =
          version === 0
            ? await tx.insert(t).values({ boardId, state: record, updatedAt, version: next, undo }).onConflictDoNothing().returning({ version: t.version })
            : await tx
                .update(t)
                .set({ state: record, updatedAt, version: next, undo })
                .where(and(eq(t.boardId, boardId), eq(t.version, version)))
                .returning({ version: t.version });
        if (rows.length === 0) throw new SessionConflictError(boardId, version);
        return next;
      });
    }
  };
}
