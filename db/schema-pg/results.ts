import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { boards } from './workshops.ts';

/** PostgreSQL twin of db/schema/results.ts (documented there). */
export const voteEvents = pgTable(
  'vote_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    participantId: text('participant_id').notNull(),
    delta: bigint('delta', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull()
  },
  (t) => [index('vote_events_board').on(t.boardId, t.createdAt)]
);
