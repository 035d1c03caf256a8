import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { projectPath } from '../server/src/project-root.ts';
import * as boardLog from './schema/board-log.ts';
import * as challenges from './schema/challenges.ts';
import * as history from './schema/history.ts';
import * as sessions from './schema/sessions.ts';
import * as votes from './schema/votes.ts';
import * as workshops from './schema/workshops.ts';

export const schema = { ...challenges, ...workshops, ...boardLog, ...sessions, ...history, ...votes };
export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;

export type Synchronous = 'NORMAL' | 'FULL';

export interface DbHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

/** Found through the project root: this module may run bundled into server/dist. */
const MIGRATIONS_FOLDER = projectPath('db/migrations');

/**
 * Opens (creating if needed) the SQLite file, sets WAL and the chosen `synchronous` level, and
 * applies the committed migrations. NORMAL survives a process crash; FULL survives power loss.
 */
export function createDb(path: string, options: { synchronous?: Synchronous } = {}): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, sqlite, close: () => sqlite.close() };
}
