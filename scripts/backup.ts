/**
 * `npm run backup [-- --out DIR] [--keep N]`: an online backup of the database (DATABASE_PATH) into
 * a new dated file, safe while the server serves. The copy is checked with `integrity_check`
 * before it gets its final name. See docs/operations.md for restoring one.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase, pruneBackups } from '../db/backup.ts';
import { storagePaths } from '../server/src/config.ts';

const fail = (es: string, en: string): never => {
  process.stderr.write(`${es}\n${en}\n`);
  process.exit(1);
};

const { values: args } = parseArgs({ options: { out: { type: 'string' }, keep: { type: 'string' } } });
const { databasePath, backupDir } = storagePaths(process.env, process.cwd());
const dir = args.out ? resolve(args.out) : backupDir;
if (databasePath === ':memory:' || !dir) fail('No hay un archivo de base de datos que respaldar.', 'There is no database file to back up.');
if (!existsSync(databasePath)) fail(`No existe la base de datos ${databasePath}.`, `Database ${databasePath} does not exist.`);
const keep = args.keep === undefined ? null : Number(args.keep);
if (keep !== null && (!Number.isInteger(keep) || keep < 1)) fail('--keep debe ser un entero ≥ 1.', '--keep must be an integer ≥ 1.');

const source = new Database(databasePath, { fileMustExist: true });
source.pragma('busy_timeout = 5000');
try {
  // Another connection's writes would restart a copy taken in steps: one step reads one consistent
  // snapshot (WAL readers do not block the server's writes).
  const result = await backupDatabase(source, dir!);
  process.stdout.write(
    `Respaldo listo / backup done: ${result.file}\n  ${result.pages} páginas / pages, ${(result.bytes / 1024).toFixed(0)} KiB, ${result.ms} ms, integrity_check ok\n`
  );
  if (keep !== null) for (const f of pruneBackups(dir!, keep)) process.stdout.write(`  borrado / removed: ${f}\n`);
} catch (err) {
  fail(`El respaldo falló: ${(err as Error).message}`, `The backup failed: ${(err as Error).message}`);
} finally {
  source.close();
}
