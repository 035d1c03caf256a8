import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import type { CheckpointReason } from '../schema/history.ts';
import { bytea } from './columns.ts';
import { boards } from './workshops.ts';

/** PostgreSQL twin of db/schema/history.ts (documented there). */
export const boardCheckpoints = pgTable(
  'board_checkpoints',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    reason: text('reason').$type<CheckpointReason>().notNull(),
    phase: text('phase').notNull(),
    ideas: bigint('ideas', { mode: 'number' }).notNull(),
    data: bytea('data').notNull()
  },
  (t) => [index('board_checkpoints_board').on(t.boardId, t.id)]
);
