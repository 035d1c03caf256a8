import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `minga-2025-06-01T10-20-30-123Z.db`: sorts by time, one file per backup. */
const BACKUP_FILE = /^minga-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;
/** A copy being written; renamed to its final name only once it is complete and checked. */
const PARTIAL = '.partial';

export interface BackupOptions {
  now?: Date;
  /** Pages copied per step (default: all at once). Between steps the event loop runs other work. */
  pagesPerStep?: number;
  /**
   * Fault injection for crash tests: wait this long (ms, blocking) in every step, so that a
   * `kill -9` can land while a backup is under way. 0 in production.
   */
  stepHoldMs?: number;
  /** Called once the copy has started (its first step is done). */
  onStarted?: (file: string) => void;
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  ms: number;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

export const backupFileName = (now: Date) => `minga-${now.toISOString().replace(/[:.]/g, '-')}.db`;

/** `PRAGMA integrity_check` of a database file: 'ok', or what SQLite found. */
export function integrityOf(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/**
 * An online backup of `source` into a new dated file in `dir` (SQLite's backup API through
 * better-sqlite3's `backup()`): consistent while the server writes, checked with
 * `integrity_check`, and written as `<name>.partial` until then, so a backup interrupted by a crash
 * is never mistaken for a complete one.
 *
 * Copied from another connection, each write to the database restarts the copy: take it in one
 * step there (the default). From the server's own connection, steps see its writes and do not restart.
 */
export async function backupDatabase(source: Database.Database, dir: string, options: BackupOptions = {}): Promise<BackupResult> {
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, backupFileName(options.now ?? new Date()));
  const partial = file + PARTIAL;
  let announced = false;
  try {
    const progress = await source.backup(partial, {
      progress: () => {
        if (!announced) {
          announced = true;
          options.onStarted?.(file);
        }
        if (options.stepHoldMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, options.stepHoldMs);
        return options.pagesPerStep ?? 0x7fffffff;
      }
    });
    // better-sqlite3 reads a first step that found the database busy as "0 pages left": done,
    // with nothing copied. A database has at least one page.
    if (progress.totalPages === 0) throw new BackupError('SQLite found the database busy; nothing was copied');
    const integrity = integrityOf(partial);
    if (integrity !== 'ok') throw new BackupError(`the copy failed integrity_check: ${integrity}`);
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, pages: progress.totalPages, ms: Math.round(performance.now() - started) };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/** Complete backups in `dir`, oldest first. */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => BACKUP_FILE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Deletes all but the newest `keep` backups, and copies left half-written by a crash (`.partial`
 * files untouched for `staleMs`, so a backup being written now is spared). Returns what it deleted.
 */
export function pruneBackups(dir: string, keep: number, options: { staleMs?: number; now?: number } = {}): string[] {
  const all = listBackups(dir);
  const removed = all.slice(0, Math.max(0, all.length - keep));
  if (options.staleMs !== undefined && existsSync(dir)) {
    const now = options.now ?? Date.now();
    for (const f of readdirSync(dir)) {
      if (!f.endsWith(PARTIAL) || !BACKUP_FILE.test(f.slice(0, -PARTIAL.length))) continue;
      const path = join(dir, f);
      if (now - statSync(path).mtimeMs > options.staleMs) removed.push(path);
    }
  }
  for (const f of removed) rmSync(f, { force: true });
  return removed;
}
