import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { projectPath } from '../server/src/project-root.ts';
import * as boardLog from './schema-pg/board-log.ts';
import * as challenges from './schema-pg/challenges.ts';
import * as history from './schema-pg/history.ts';
import * as results from './schema-pg/results.ts';
import * as sessions from './schema-pg/sessions.ts';
import * as votes from './schema-pg/votes.ts';
import * as workshops from './schema-pg/workshops.ts';

/** The PostgreSQL dialect of db/client.ts's schema (db/schema-pg mirrors db/schema). */
export const pgSchema = { ...challenges, ...workshops, ...boardLog, ...sessions, ...history, ...votes, ...results };
export type PgSchema = typeof pgSchema;
export type PgDb = NodePgDatabase<PgSchema>;

export interface PgHandle {
  db: PgDb;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Found through the project root: this module may run bundled into server/dist. */
const PG_MIGRATIONS_FOLDER = projectPath('db/migrations-pg');

/**
 * Key of the session-level advisory lock held while migrating: several Minga processes may start
 * at once against one database, and drizzle's migrator alone would let two of them apply the same
 * migration. Any fixed 64-bit number works; this one spells "minga" in ASCII.
 */
const MIGRATION_LOCK_KEY = 0x6d696e6761;

/**
 * A pool on `databaseUrl` (`postgres://user:pass@host:port/db`) with the schema attached.
 * `onIdleError` hears of an idle connection the server closed (a restart, a fast shutdown): the
 * pool drops it and connects anew at the next query; without a listener, node-postgres's 'error'
 * event would end the process.
 */
export function createPgDb(databaseUrl: string, onIdleError: (err: Error) => void = () => {}): PgHandle {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  pool.on('error', onIdleError);
  return { db: drizzle(pool, { schema: pgSchema }), pool, close: () => pool.end() };
}

/**
 * Applies the committed PostgreSQL migrations (db/migrations-pg) to the database at `databaseUrl`,
 * holding an advisory lock so concurrent callers apply each migration once; the ones already
 * applied are skipped, as on SQLite.
 */
export async function migratePg(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS_FOLDER });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
