import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { boardSessions } from '../../../db/schema/sessions.ts';
import type { SessionRecord } from './session-state.ts';

/** Session records in SQLite, one row per board, written on every change. */
export function createSessionStore(db: Db) {
  return {
    load(boardId: string): SessionRecord | null {
      const row = db.select().from(boardSessions).where(eq(boardSessions.boardId, boardId)).get();
      return row ? (row.state as SessionRecord) : null;
    },
    all(): { boardId: string; record: SessionRecord }[] {
      return db
        .select()
        .from(boardSessions)
        .all()
        .map((row) => ({ boardId: row.boardId, record: row.state as SessionRecord }));
    },
    save(boardId: string, record: SessionRecord): void {
      const updatedAt = Date.now();
      db.insert(boardSessions)
        .values({ boardId, state: record, updatedAt })
        .onConflictDoUpdate({ target: boardSessions.boardId, set: { state: record, updatedAt } })
        .run();
    }
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
