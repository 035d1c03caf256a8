import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { boards } from './workshops.ts';

/** Why a checkpoint was taken: a session phase change, 10 minutes of activity, or just before a restore. */
export const CHECKPOINT_REASONS = ['phase', 'activity', 'restore'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

/**
 * Points a facilitator can take a board back to (vandalism, a mass delete). Each holds the whole
 * board as `Y.encodeStateAsUpdate`; a restore writes the difference as a new update, so the
 * update log itself is never rewound. Bounded per board (server/src/history/).
 */
export const boardCheckpoints = sqliteTable(
  'board_checkpoints',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    createdAt: integer('created_at').notNull(),
    reason: text('reason').$type<CheckpointReason>().notNull(),
    /** The session phase when it was taken (`abierto` without a session). */
    phase: text('phase').notNull(),
    /** Ideas on the board then, for the list. */
    ideas: integer('ideas').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull()
  },
  (t) => [index('board_checkpoints_board').on(t.boardId, t.id)]
);

export type BoardCheckpoint = typeof boardCheckpoints.$inferSelect;
