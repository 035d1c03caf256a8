import { bigint, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { bytea } from './columns.ts';

/*
 * PostgreSQL twin of db/schema/board-log.ts (the meaning of each table and column is documented
 * there). Every SQLite `integer` is a `bigint` here: SQLite's integers are 64-bit, and times in ms
 * and Yjs clientIDs (up to 2^32 - 1) overflow PostgreSQL's 32-bit `integer`.
 * tests/unit/pg-schema.test.ts proves both declare the same tables and columns.
 */

export const boardUpdates = pgTable(
  'board_updates',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    boardId: text('board_id').notNull(),
    data: bytea('data').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull()
  },
  (t) => [index('board_updates_board_id').on(t.boardId, t.id)]
);

export const boardSnapshots = pgTable('board_snapshots', {
  boardId: text('board_id').primaryKey(),
  data: bytea('data').notNull(),
  lastUpdateId: bigint('last_update_id', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull()
});

export const boardClients = pgTable(
  'board_clients',
  {
    boardId: text('board_id').notNull(),
    clientId: bigint('client_id', { mode: 'number' }).notNull(),
    ownerId: text('owner_id').notNull()
  },
  (t) => [primaryKey({ columns: [t.boardId, t.clientId] })]
);
