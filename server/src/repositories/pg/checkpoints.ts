import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { PgDb } from '../../../../db/pg.ts';
import { boardCheckpoints } from '../../../../db/schema-pg/history.ts';
import { CHECKPOINTS_PER_BOARD, type CheckpointInfo, type CheckpointsRepository } from '../checkpoints.ts';

const INFO = {
  id: boardCheckpoints.id,
  createdAt: boardCheckpoints.createdAt,
  reason: boardCheckpoints.reason,
  phase: boardCheckpoints.phase,
  ideas: boardCheckpoints.ideas
};

/** PostgreSQL: the insert and the trim of the oldest in one transaction, as on SQLite. */
export function createPgCheckpointsRepository(db: PgDb, now: () => number = Date.now): CheckpointsRepository {
  return {
    async add(boardId, input) {
      return db.transaction(async (tx) => {
        const row = { boardId, createdAt: now(), reason: input.reason, phase: input.phase, ideas: input.ideas, data: Buffer.from(input.data) };
        const [inserted] = await tx.insert(boardCheckpoints).values(row).returning({ id: boardCheckpoints.id });
        const kept = tx
          .select({ id: boardCheckpoints.id })
          .from(boardCheckpoints)
          .where(eq(boardCheckpoints.boardId, boardId))
          .orderBy(desc(boardCheckpoints.id))
          .limit(CHECKPOINTS_PER_BOARD);
        await tx.delete(boardCheckpoints).where(and(eq(boardCheckpoints.boardId, boardId), notInArray(boardCheckpoints.id, kept)));
        return { id: inserted!.id, createdAt: row.createdAt, reason: row.reason, phase: input.phase, ideas: row.ideas };
      });
    },

    async list(boardId) {
      return (await db.select(INFO).from(boardCheckpoints).where(eq(boardCheckpoints.boardId, boardId)).orderBy(desc(boardCheckpoints.id))) as CheckpointInfo[];
    },

    async get(boardId, id) {
      const [row] = await db.select().from(boardCheckpoints).where(and(eq(boardCheckpoints.boardId, boardId), eq(boardCheckpoints.id, id)));
      return row ?? null;
    },

    async newest(boardId) {
      const [row] = await db.select().from(boardCheckpoints).where(eq(boardCheckpoints.boardId, boardId)).orderBy(desc(boardCheckpoints.id)).limit(1);
      return row ?? null;
    }
  };
}
