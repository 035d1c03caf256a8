import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { createPgDb, migratePg } from '../../db/pg.ts';
import { boardClients, boardUpdates } from '../../db/schema-pg/board-log.ts';
import { startPostgres, type PostgresServer } from '../helpers/engines/postgres.ts';

/*
 * A real PostgreSQL (tests/helpers/engines/postgres.ts) migrated with db/migrations-pg, read back
 * through information_schema and compared with a SQLite database migrated with db/migrations.
 */

const JOURNAL = join(import.meta.dirname, '../../db/migrations-pg/meta/_journal.json');

/** Which PostgreSQL types stand for each SQLite declared type (bigint: SQLite integers are 64-bit). */
const PG_TYPES_FOR: Record<string, string[]> = { integer: ['bigint', 'boolean'], text: ['text', 'jsonb'], blob: ['bytea'] };

interface ColumnFacts {
  type: string;
  notNull: boolean;
  default: string | null;
  generated: boolean;
}

interface DbFacts {
  tables: Record<string, Record<string, ColumnFacts>>;
  primaryKeys: Record<string, string[]>;
  /**
   * Indexes but the primary keys', by name: `unique (code)`. A unique column is an index on SQLite
   * and a constraint (backed by an index of the same name) on PostgreSQL.
   */
  indexes: Record<string, string>;
  foreignKeys: string[];
}

interface SqliteColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

interface PgColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  is_identity: string;
}

function sqliteFacts(sqlite: Database.Database): DbFacts {
  const tableRows = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'")
    .all() as { name: string; sql: string }[];
  const facts: DbFacts = { tables: {}, primaryKeys: {}, indexes: {}, foreignKeys: [] };
  for (const { name: table, sql } of tableRows) {
    const columns = sqlite.prepare(`PRAGMA table_info("${table}")`).all() as SqliteColumn[];
    facts.tables[table] = Object.fromEntries(
      columns.map((c) => [
        c.name,
        {
          type: c.type.toLowerCase(),
          // A SQLite primary key column may hold null unless declared NOT NULL; drizzle declares it.
          notNull: c.notnull === 1,
          default: c.dflt_value,
          generated: new RegExp(`\`${c.name}\` integer PRIMARY KEY AUTOINCREMENT`, 'i').test(sql)
        }
      ])
    );
    facts.primaryKeys[table] = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const indexes = sqlite.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[];
    for (const index of indexes.filter((i) => i.origin !== 'pk')) {
      const columnsOf = (sqlite.prepare(`PRAGMA index_info("${index.name}")`).all() as { name: string }[]).map((c) => c.name).join(',');
      facts.indexes[index.name] = `${index.unique === 1 ? 'unique' : 'plain'} (${columnsOf})`;
    }
    const fks = sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string; to: string }[];
    for (const fk of fks) facts.foreignKeys.push(`${table}.${fk.from} → ${fk.table}.${fk.to}`);
  }
  facts.foreignKeys.sort();
  return facts;
}

async function pgFacts(client: pg.Client): Promise<DbFacts> {
  const facts: DbFacts = { tables: {}, primaryKeys: {}, indexes: {}, foreignKeys: [] };
  const columns = await client.query<PgColumn>(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`
  );
  for (const c of columns.rows) {
    (facts.tables[c.table_name] ??= {})[c.column_name] = {
      type: c.data_type,
      notNull: c.is_nullable === 'NO',
      // 'open'::text → 'open': PostgreSQL writes the cast, SQLite does not.
      default: c.column_default?.replace(/::[a-z ]+$/, '') ?? null,
      generated: c.is_identity === 'YES'
    };
  }
  const keys = await client.query<{ table_name: string; column_name: string }>(
    `SELECT tc.table_name, kcu.column_name
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu
         ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
      WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'
      ORDER BY tc.table_name, kcu.ordinal_position`
  );
  for (const k of keys.rows) (facts.primaryKeys[k.table_name] ??= []).push(k.column_name);
  const indexes = await client.query<{ name: string; unique: boolean; columns: string }>(
    `SELECT i.relname AS name, x.indisunique AS unique,
            string_agg(a.attname, ',' ORDER BY k.ord) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_namespace n ON n.oid = i.relnamespace
       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND NOT x.indisprimary
      GROUP BY i.relname, x.indisunique`
  );
  for (const i of indexes.rows) facts.indexes[i.name] = `${i.unique ? 'unique' : 'plain'} (${i.columns})`;
  const fks = await client.query<{ table_name: string; column_name: string; foreign_table: string; foreign_column: string }>(
    `SELECT kcu.table_name, kcu.column_name, ccu.table_name AS foreign_table, ccu.column_name AS foreign_column
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu
         ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
       JOIN information_schema.constraint_column_usage ccu
         ON ccu.constraint_schema = tc.constraint_schema AND ccu.constraint_name = tc.constraint_name
      WHERE tc.table_schema = 'public' AND tc.constraint_type = 'FOREIGN KEY'`
  );
  facts.foreignKeys = fks.rows.map((f) => `${f.table_name}.${f.column_name} → ${f.foreign_table}.${f.foreign_column}`).sort();
  return facts;
}

describe('PostgreSQL schema migrated from db/migrations-pg', () => {
  let server: PostgresServer;
  let url: string;
  let client: pg.Client;
  let sqlite: DbFacts;
  let postgres: DbFacts;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase('schema_test');
    // Two processes starting at once against one database: both migrate, each migration runs once.
    await Promise.all([migratePg(url), migratePg(url)]);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    postgres = await pgFacts(client);
    const handle = createDb(':memory:');
    sqlite = sqliteFacts(handle.sqlite);
    handle.close();
  });

  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  it('has the same tables as the migrated SQLite database', () => {
    expect(Object.keys(postgres.tables).sort()).toEqual(Object.keys(sqlite.tables).sort());
  });

  it('has the same columns in each table, of the matching type, nullability, default and generation', () => {
    for (const [table, columns] of Object.entries(sqlite.tables)) {
      expect(Object.keys(postgres.tables[table] ?? {}).sort(), table).toEqual(Object.keys(columns).sort());
      for (const [name, expected] of Object.entries(columns)) {
        const actual = postgres.tables[table]![name]!;
        expect(PG_TYPES_FOR[expected.type], `${table}.${name}: ${expected.type} → ${actual.type}`).toContain(actual.type);
        expect({ column: `${table}.${name}`, notNull: actual.notNull, default: actual.default, generated: actual.generated }).toEqual({
          column: `${table}.${name}`,
          notNull: expected.notNull,
          default: expected.default,
          generated: expected.generated
        });
      }
    }
  });

  it('has the same primary keys, indexes (unique ones included) and foreign keys', () => {
    expect(postgres.primaryKeys).toEqual(sqlite.primaryKeys);
    expect(postgres.indexes).toEqual(sqlite.indexes);
    expect(postgres.foreignKeys).toEqual(sqlite.foreignKeys);
  });

  it('records each committed migration once, though two callers migrated at the same time, and a third migration is a no-op', async () => {
    const journal = JSON.parse(readFileSync(JOURNAL, 'utf8')) as { entries: unknown[] };
    await migratePg(url);
    const applied = await client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
    expect(Number(applied.rows[0]!.n)).toBe(journal.entries.length);
  });

  it('keeps ms times, 32-bit Yjs clientIDs and binary updates exactly', async () => {
    const { db, close } = createPgDb(url);
    try {
      const data = Buffer.from([0, 1, 2, 254, 255]);
      const now = Date.now();
      const [row] = await db.insert(boardUpdates).values({ boardId: 'b1', data, createdAt: now }).returning();
      await db.insert(boardClients).values({ boardId: 'b1', clientId: 2 ** 32 - 1, ownerId: 'p1' });
      const [read] = await db.select().from(boardUpdates).where(eq(boardUpdates.id, row!.id));
      const [owner] = await db.select().from(boardClients).where(eq(boardClients.boardId, 'b1'));
      expect(read).toEqual({ id: row!.id, boardId: 'b1', data, createdAt: now });
      expect(Buffer.isBuffer(read!.data)).toBe(true);
      expect(owner!.clientId).toBe(2 ** 32 - 1);
    } finally {
      await close();
    }
  });
});
