import fp from 'fastify-plugin';
import { existsSync, statSync } from 'node:fs';
import { LoopMonitor } from '../../diagnostics/loop-monitor.ts';
import type { Log, Track } from '../../sync/types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Names a long synchronous operation for the event-loop monitor. */
    track: Track;
    trackAsync<T>(op: string, detail: object, run: () => Promise<T>): Promise<T>;
  }
}

/** Event-loop stalls with their cause (`LOOP_STALL_WARN_MS`) and periodic process figures (`STATS_LOG_EVERY_SECONDS`). */
export default fp(
  async (app) => {
    const { config } = app;
    const wal = `${config.databasePath}-wal`;
    const monitor = new LoopMonitor((app.log as unknown as Log).child({ task: 'diagnostics' }), {
      stallMs: config.loopStallWarnMs,
      statsEveryMs: config.statsLogEveryMs,
      stats: () => ({
        walMb: existsSync(wal) ? Math.round((statSync(wal).size / 1_048_576) * 10) / 10 : 0,
        rooms: app.hasDecorator('rooms') ? app.rooms.loaded : 0
      })
    });
    app.decorate('track', monitor.track);
    app.decorate('trackAsync', monitor.trackAsync);
    app.addHook('onClose', async () => monitor.stop());
  },
  { name: 'diagnostics', dependencies: ['database'] }
);
