import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { boards } from './workshops.ts';

/**
 * The control-plane state of a board (phase, timer, lock…), persisted on every change so a
 * restart keeps a paused timer's remaining time and a running one's end.
 */
export const boardSessions = sqliteTable('board_sessions', {
  boardId: text('board_id')
    .primaryKey()
    .references(() => boards.id),
  /** JSON of `SessionRecord` (server/src/sessions/session-state.ts). */
  state: text('state', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
  /**
   * Bumped by every write: a command is a read-modify-write that stores only if the row still has
   * the version it read (UPDATE … WHERE version = ?), so two processes cannot interleave on one
   * session (server/src/sessions/session-store.ts).
   */
  version: integer('version').notNull().default(0),
  /**
   * JSON of the "Deshacer" offer after a session was ended (`UndoOffer`,
   * server/src/sessions/session-store.ts): in the row, so any process can take it back.
   */
  undo: text('undo', { mode: 'json' })
});
