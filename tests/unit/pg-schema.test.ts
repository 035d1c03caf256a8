import { getTableName, is, type Column } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgSchema } from '../../db/pg.ts';

/*
 * db/schema-pg declares the SQLite tables of db/schema again for PostgreSQL (Drizzle's column
 * builders are per dialect). This proves the two declare the same tables, columns, keys and
 * indexes, so a column added to one and not the other fails here. The migrated databases
 * themselves are compared in tests/integration/postgres-schema.test.ts.
 */

const SCHEMA_DIR = join(import.meta.dirname, '../../db/schema');

/** Each dialect's column types, named by what they hold. SQLite integers are 64-bit: bigint on PostgreSQL. */
const SQLITE_KINDS: Record<string, string> = {
  SQLiteInteger: 'integer',
  SQLiteBoolean: 'boolean',
  SQLiteText: 'text',
  SQLiteTextJson: 'json',
  SQLiteBlobBuffer: 'bytes'
};
const PG_KINDS: Record<string, string> = {
  'PgBigInt53 bigint': 'integer',
  'PgBoolean boolean': 'boolean',
  'PgText text': 'text',
  'PgJsonb jsonb': 'json',
  'PgCustomColumn bytea': 'bytes'
};

interface ColumnShape {
  kind: string;
  notNull: boolean;
  primary: boolean;
  unique: boolean;
  default: unknown;
  generated: boolean;
  enumValues?: string[];
}

interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  indexes: Record<string, { unique: boolean; columns: string[]; partial: boolean }>;
  foreignKeys: string[];
}

type Config = ReturnType<typeof getSqliteTableConfig> | ReturnType<typeof getPgTableConfig>;

function shape(config: Config, kindOf: (column: Column) => string, generated: (column: Column) => boolean): TableShape {
  const columns: TableShape['columns'] = {};
  for (const column of config.columns as Column[]) {
    columns[column.name] = {
      kind: kindOf(column),
      notNull: column.notNull,
      primary: column.primary,
      unique: column.isUnique,
      default: column.default,
      generated: generated(column),
      ...(column.enumValues ? { enumValues: [...column.enumValues] } : {})
    };
  }
  const indexes: TableShape['indexes'] = {};
  for (const index of config.indexes) {
    indexes[index.config.name ?? '(unnamed)'] = {
      unique: index.config.unique,
      columns: index.config.columns.map((c) => (c as { name: string }).name),
      partial: index.config.where !== undefined
    };
  }
  return {
    columns,
    primaryKey: config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
    indexes,
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return `${ref.columns.map((c) => c.name).join(',')} → ${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(',')})`;
      })
      .sort()
  };
}

const kind = (kinds: Record<string, string>, key: string): string => {
  const found = kinds[key];
  if (!found) throw new Error(`no PostgreSQL twin is decided for column type ${key}: add it to this test's maps`);
  return found;
};

async function sqliteShapes(): Promise<Record<string, TableShape>> {
  const shapes: Record<string, TableShape> = {};
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.ts'))) {
    const module = (await import(join(SCHEMA_DIR, file))) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (!is(value, SQLiteTable)) continue;
      const config = getSqliteTableConfig(value);
      shapes[config.name] = shape(
        config,
        (c) => kind(SQLITE_KINDS, c.columnType),
        (c) => (c as Column & { autoIncrement?: boolean }).autoIncrement === true
      );
    }
  }
  return shapes;
}

function pgShapes(): Record<string, TableShape> {
  const shapes: Record<string, TableShape> = {};
  for (const value of Object.values(pgSchema)) {
    if (!is(value, PgTable)) continue;
    const config = getPgTableConfig(value);
    shapes[config.name] = shape(
      config,
      (c) => kind(PG_KINDS, `${c.columnType} ${c.getSQLType()}`),
      (c) => c.generatedIdentity !== undefined
    );
  }
  return shapes;
}

describe('the PostgreSQL schema (db/schema-pg)', () => {
  it('declares every table of the SQLite schema and no other', async () => {
    expect(Object.keys(pgShapes()).sort()).toEqual(Object.keys(await sqliteShapes()).sort());
  });

  it('declares the same columns, keys, indexes and foreign keys in each table', async () => {
    const sqlite = await sqliteShapes();
    const pg = pgShapes();
    for (const [table, expected] of Object.entries(sqlite)) {
      expect({ table, ...pg[table] }).toEqual({ table, ...expected });
    }
  });

  it('has a twin for every SQLite column type in use', async () => {
    // sqliteShapes() throws on a column type this test has no mapping for.
    const kinds = new Set(Object.values(await sqliteShapes()).flatMap((t) => Object.values(t.columns).map((c) => c.kind)));
    expect([...kinds].sort()).toEqual(['boolean', 'bytes', 'integer', 'json', 'text']);
  });
});
