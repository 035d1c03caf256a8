import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { boardCheckpoints, type BoardCheckpoint, type CheckpointReason } from '../../../db/schema/history.ts';
import type { Phase } from '../realtime/events.ts';
import type { Checkpoint } from '../schemas/checkpoints.ts';

/** Checkpoints kept per board; the oldest go first (48: eight hours at one per ten minutes). */
export const CHECKPOINTS_PER_BOARD = 48;

/** What the list shows: `Checkpoint` of the route's schema. */
export type CheckpointInfo = Checkpoint;

const INFO = {
  id: boardCheckpoints.id,
  createdAt: boardCheckpoints.createdAt,
  reason: boardCheckpoints.reason,
  phase: boardCheckpoints.phase,
  ideas: boardCheckpoints.ideas
};

export function createCheckpointsRepository(db: Db, now: () => number = Date.now) {
  return {
    /** Stores a checkpoint and drops the board's oldest beyond the bound, in one transaction. */
    add(boardId: string, input: { reason: CheckpointReason; phase: Phase; ideas: number; data: Uint8Array }): CheckpointInfo {
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

    /** The board's checkpoints, newest first, without their data. */
    list(boardId: string): CheckpointInfo[] {
      return db.select(INFO).from(boardCheckpoints).where(eq(boardCheckpoints.boardId, boardId)).orderBy(desc(boardCheckpoints.id)).all() as CheckpointInfo[];
    },

    get(boardId: string, id: number): BoardCheckpoint | null {
      return db.select().from(boardCheckpoints).where(and(eq(boardCheckpoints.boardId, boardId), eq(boardCheckpoints.id, id))).get() ?? null;
    },

    newest(boardId: string): BoardCheckpoint | null {
      return db.select().from(boardCheckpoints).where(eq(boardCheckpoints.boardId, boardId)).orderBy(desc(boardCheckpoints.id)).limit(1).get() ?? null;
    }
  };
}

export type CheckpointsRepository = ReturnType<typeof createCheckpointsRepository>;
