import { join } from 'node:path';
import { startBaseline } from './baseline-process.ts';
import { announce, isMain } from './main-check.ts';
import type { BenchServer } from './types.ts';

/**
 * Baseline (b): Hocuspocus 3 storing to SQLite. `@hocuspocus/extension-sqlite` needs the `sqlite3`
 * package, whose install downloads a prebuilt binary (not possible here), so this is what that
 * extension is: `@hocuspocus/extension-database` with two prepared statements, over better-sqlite3
 * in WAL mode. Stores are debounced as Hocuspocus does by default (2 s, at most 10 s).
 */
export const hocuspocus: BenchServer = {
  name: 'hocuspocus',
  protocol: 'hocuspocus',
  start: (options) =>
    startBaseline(
      {
        file: import.meta.filename,
        name: 'hocuspocus',
        protocol: 'hocuspocus',
        env: { HOCUSPOCUS_DB: join(options.dir, 'hocuspocus.db') },
        // One endpoint; the document name travels in every message.
        urlOf: (wsUrl) => `${wsUrl}/`
      },
      options
    )
};

if (isMain(import.meta.url)) {
  const { Server } = await import('@hocuspocus/server');
  const { Database: DatabaseExtension } = await import('@hocuspocus/extension-database');
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(process.env.HOCUSPOCUS_DB ?? ':memory:');
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
  const select = db.prepare<[string], { data: Buffer }>('SELECT data FROM documents WHERE name = ?');
  const upsert = db.prepare<[string, Buffer]>(
    'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data'
  );
  const server = new Server({
    // A restart in the durability test comes back on the same port, so clients' URLs still work.
    port: Number(process.env.HOCUSPOCUS_PORT ?? 0),
    address: '127.0.0.1',
    quiet: true,
    extensions: [
      new DatabaseExtension({
        fetch: async ({ documentName }) => {
          const row = select.get(documentName);
          return row ? new Uint8Array(row.data) : null;
        },
        store: async ({ documentName, state }) => {
          upsert.run(documentName, state);
        }
      })
    ]
  });
  await server.listen();
  announce(server.address.port);
}
