import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type DbHandle } from '../../db/client.ts';
import { createPgDb, migratePg, type PgHandle } from '../../db/pg.ts';
import { startPostgres, type PostgresServer } from './engines/postgres.ts';

/**
 * The two storage engines, for suites that run once per engine (`describe.each(STORAGE_ENGINES)`):
 * SQLite in a file of a temp folder, and PostgreSQL started by the suite (a fresh database per
 * test, migrated with the committed migrations). `process()` opens another connection to the same
 * database, as a second Minga process would have. Without PostgreSQL installed the PG suite fails
 * with the apt-get line to run (never passes silently).
 */
export interface StorageEngine {
  name: 'sqlite' | 'postgres';
  /** Call in beforeAll (starts PostgreSQL) and afterAll. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new empty, migrated database; `process()` connects to it again. */
  open(): Promise<EngineDb>;
}

export interface EngineDb {
  /** One process's connection. */
  process(): EngineConnection;
  close(): Promise<void>;
}

export type EngineConnection = { engine: 'sqlite'; sqlite: DbHandle } | { engine: 'postgres'; pg: PgHandle };

function sqliteEngine(): StorageEngine {
  let dir = '';
  let n = 0;
  return {
    name: 'sqlite',
    async start() {
      dir = mkdtempSync(join(tmpdir(), 'minga-storage-'));
    },
    async stop() {
      rmSync(dir, { recursive: true, force: true });
    },
    async open() {
      const path = join(dir, `db${++n}.db`);
      const handles: DbHandle[] = [];
      return {
        process() {
          const sqlite = createDb(path);
          handles.push(sqlite);
          return { engine: 'sqlite', sqlite };
        },
        async close() {
          for (const h of handles) h.close();
        }
      };
    }
  };
}

function postgresEngine(): StorageEngine {
  let server: PostgresServer | null = null;
  let n = 0;
  return {
    name: 'postgres',
    async start() {
      server = await startPostgres();
    },
    async stop() {
      await server?.stop();
    },
    async open() {
      if (!server) throw new Error('postgres engine not started');
      const url = await server.createDatabase(`storage_${++n}`);
      await migratePg(url);
      const handles: PgHandle[] = [];
      return {
        process() {
          // pool.end() resolves before its sockets have closed; the server's shutdown then ends
          // them with FATAL 57P01, an 'error' of an idle client that createPgDb's listener takes.
          const pg = createPgDb(url);
          handles.push(pg);
          return { engine: 'postgres', pg };
        },
        async close() {
          await Promise.all(handles.map((h) => h.close()));
        }
      };
    }
  };
}

export const STORAGE_ENGINES: StorageEngine[] = [sqliteEngine(), postgresEngine()];
