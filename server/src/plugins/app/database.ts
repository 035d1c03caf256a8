import fp from 'fastify-plugin';
import { createDb, type Db } from '../../../../db/client.ts';
import { createPgDb, migratePg, type PgHandle } from '../../../../db/pg.ts';
import { seedDatabase, seedPg } from '../../../../seed/seed.ts';
import type Database from 'better-sqlite3';
import type { Config } from '../../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    sqlite: Database.Database;
    /** The PostgreSQL pool when DATABASE_URL is set (migrated at boot); null on SQLite alone. */
    pg: PgHandle | null;
  }
}

/** Opens the SQLite file, migrates it and seeds the challenges into an empty database. */
export default fp(
  async (app, opts: { config: Config }) => {
    const { db, sqlite, close } = createDb(opts.config.databasePath, { synchronous: opts.config.synchronous });
    const { inserted } = seedDatabase(db);
    if (inserted > 0) app.log.info({ inserted }, 'seeded the challenges');
    app.decorate('config', opts.config);
    app.decorate('db', db);
    app.decorate('sqlite', sqlite);
    app.addHook('onClose', async () => close());
    let pg: PgHandle | null = null;
    if (opts.config.databaseUrl) {
      await migratePg(opts.config.databaseUrl);
      const handle = createPgDb(opts.config.databaseUrl, (err) => app.log.warn({ err }, 'postgresql: an idle connection was lost'));
      pg = handle;
      app.addHook('onClose', async () => handle.close());
      const seeded = await seedPg(handle.db);
      if (seeded.inserted > 0) app.log.info({ inserted: seeded.inserted, engine: 'postgresql' }, 'seeded the challenges');
    }
    app.decorate('pg', pg);
  },
  { name: 'database' }
);
