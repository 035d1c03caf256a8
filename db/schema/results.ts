import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { boards } from './workshops.ts';

/**
 * Every accepted dot given or withdrawn, with its time: the board doc's `votes` map holds only the
 * current dots, and the workshop's results chart votes over time.
 */
export const voteEvents = sqliteTable(
  'vote_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    participantId: text('participant_id').notNull(),
    /** +1 or -1. */
    delta: integer('delta').notNull(),
    createdAt: integer('created_at').notNull()
  },
  (t) => [index('vote_events_board').on(t.boardId, t.createdAt)]
);
