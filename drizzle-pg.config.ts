import { defineConfig } from 'drizzle-kit';

// The PostgreSQL dialect of the same tables (db/schema-pg mirrors db/schema): `npm run db:generate:pg`
// writes its migrations to db/migrations-pg. Only `drizzle-kit push`/`migrate` read the URL; the
// server applies the committed migrations itself (db/pg.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg/*.ts',
  out: './db/migrations-pg',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/minga' }
});
