import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/*
 * `board_id` here names a Yjs document: a board's id, or `<boardId>:private:<participantId>` for a
 * participant's private ideation doc. So it carries no foreign key to boards.
 */

/**
 * Append-only log of the Yjs updates a board's server doc emitted. A row is written before the
 * update is broadcast to anyone; compaction folds rows into board_snapshots in one transaction.
 */
export const boardUpdates = sqliteTable(
  'board_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    boardId: text('board_id').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull()
  },
  (t) => [index('board_updates_board_id').on(t.boardId, t.id)]
);

/** `Y.encodeStateAsUpdate` of a board covering every update up to `lastUpdateId`. */
export const boardSnapshots = sqliteTable('board_snapshots', {
  boardId: text('board_id').primaryKey(),
  data: blob('data', { mode: 'buffer' }).notNull(),
  lastUpdateId: integer('last_update_id').notNull(),
  updatedAt: integer('updated_at').notNull()
});

/**
 * Which participant owns each Yjs clientID on a board. Yjs trusts any clientID a message claims,
 * so the server binds a clientID to the first participant who writes with it or speaks for it on
 * presence (a reader's clientID stays theirs across restarts).
 */
export const boardClients = sqliteTable(
  'board_clients',
  {
    boardId: text('board_id').notNull(),
    clientId: integer('client_id').notNull(),
    ownerId: text('owner_id').notNull()
  },
  (t) => [primaryKey({ columns: [t.boardId, t.clientId] })]
);

export type BoardUpdate = typeof boardUpdates.$inferSelect;
