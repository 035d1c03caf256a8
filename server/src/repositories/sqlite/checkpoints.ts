import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { boardCheckpoints } from '../../../../db/schema/history.ts';
import { CHECKPOINTS_PER_BOARD, type CheckpointInfo, type CheckpointsRepository } from '../checkpoints.ts';

const INFO = {
  id: boardCheckpoints.id,
  createdAt: boardCheckpoints.createdAt,
  reason: boardCheckpoints.reason,
  phase: boardCheckpoints.phase,
  ideas: boardCheckpoints.ideas
};

/** SQLite: synchronous inside, answering promises. */
export function createSqliteCheckpointsRepository(db: Db, now: () => number = Date.now): CheckpointsRepository {
  return {
    async add(boardId, input) {
      return db.transaction((tx) => {
        const row = { boardId, createdAt: now(), reason: input.reason, phase: input.phase, ideas: input.ideas, data: Buffer.from(input.data) };
        const { id } = tx.insert(boardCheckpoints).values(row).returning({ id: boardCheckpoints.id }).get();
        const stale = tx
          .select({ id: boardCheckpoints.id })
          .from(boardCheckpoints)
          .where(eq(boardCheckpoints.boardId, boardId))
          .orderBy(desc(boardCheckpoints.id))
          .all()
          .slice(CHECKPOINTS_PER_BOARD)
          .map((r) => r.id);
        if (stale.length > 0) tx.delete(boardCheckpoints).where(inArray(boardCheckpoints.id, stale)).run();
        return { id, createdAt: row.createdAt, reason: row.reason, phase: input.phase, ideas: row.ideas };
      });
    },

    async list(boardId) {
      return db.select(INFO).from(boardCheckpoints).where(eq(boardCheckpoints.boardId, boardId)).orderBy(desc(boardCheckpoints.id)).all() as CheckpointInfo[];
    },

    async get(boardId, id) {
      return db.select().from(boardCheckpoints).where(and(eq(boardCheckpoints.boardId, boardId), eq(boardCheckpoints.id, id))).get() ?? null;
    },

    async newest(boardId) {
      return db.select().from(boardCheckpoints).where(eq(boardCheckpoints.boardId, boardId)).orderBy(desc(boardCheckpoints.id)).limit(1).get() ?? null;
    }
  };
}
