import fp from 'fastify-plugin';
import { writeSync } from 'node:fs';
import { backupDatabase, pruneBackups, type BackupResult } from '../../../../db/backup.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Backs the database up now (or joins the backup under way); null without a backup folder or on PostgreSQL. */
    backupNow(): Promise<BackupResult | null>;
  }
}

const MINUTE_MS = 60_000;
/** A `.partial` copy untouched this long was left by a crash. */
const STALE_PARTIAL_MS = 10 * MINUTE_MS;
/** Pages per step of the server's own backups: a few ms of work, then the event loop runs again. */
const PAGES_PER_STEP = 100;

/**
 * Online backups from the server's own SQLite connection (its writes do not restart the copy),
 * every `BACKUP_EVERY_MINUTES` and on demand (SIGUSR2, see main.ts), keeping the newest `BACKUP_KEEP`.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const dir = config.backupDir;
    const log = app.log.child({ task: 'backup' });
    let running: Promise<BackupResult> | null = null;
    if (app.pg) {
      // The board, the workshops and the sessions live in PostgreSQL: its own tools back them up.
      log.info({ dir }, 'backups are PostgreSQL\'s (pg_dump, or its continuous archiving): the SQLite backups are off');
      app.decorate('backupNow', () => Promise.resolve(null));
      return;
    }

    const backupNow = (): Promise<BackupResult | null> => {
      if (!dir) return Promise.resolve(null);
      running ??= app
        .trackAsync('backup', {}, () =>
          backupDatabase(app.sqlite, dir, {
            pagesPerStep: config.backupStepHoldMs ? 1 : PAGES_PER_STEP,
            stepHoldMs: config.backupStepHoldMs,
            onStarted: (file) => {
              log.info({ file }, 'backup started');
              // Written synchronously: held steps block the thread before the async logger flushes.
              if (config.backupStepHoldMs) writeSync(2, `backup under way, each step held ${config.backupStepHoldMs} ms (fault injection)\n`);
            }
          })
        )
        .then((result) => {
          log.info(result, 'backup finished');
          const removed = pruneBackups(dir, config.backupKeep, { staleMs: STALE_PARTIAL_MS });
          if (removed.length > 0) log.info({ removed }, 'old backups removed');
          return result;
        })
        .catch((err: unknown) => {
          log.error({ err }, 'backup failed');
          throw err;
        })
        .finally(() => {
          running = null;
        });
      return running;
    };
    app.decorate('backupNow', backupNow);

    let timer: NodeJS.Timeout | null = null;
    if (dir && config.backupEveryMinutes > 0) {
      timer = setInterval(() => void backupNow().catch(() => {}), config.backupEveryMinutes * MINUTE_MS).unref();
      log.info({ dir, everyMinutes: config.backupEveryMinutes, keep: config.backupKeep }, 'scheduled backups on');
    }
    app.addHook('preClose', async () => {
      if (timer) clearInterval(timer);
      // The copy reads through the connection that closes next.
      await running?.catch(() => {});
    });
  },
  { name: 'backups', dependencies: ['database', 'diagnostics'] }
);
