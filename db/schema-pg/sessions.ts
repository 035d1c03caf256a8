import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { boards } from './workshops.ts';

/** PostgreSQL twin of db/schema/sessions.ts (documented there). */
export const boardSessions = pgTable('board_sessions', {
  boardId: text('board_id')
    .primaryKey()
    .references(() => boards.id),
  state: jsonb('state').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  undo: jsonb('undo')
});
