import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** With `REDIS_URL`: a Redis connection per use, closed with the app; null: one process, no Redis. */
    redis: RedisConnections | null;
  }
}

export interface RedisConnections {
  /**
   * A new connection named `name` (in logs). `offlineQueue: false` fails commands at once while
   * Redis is down instead of queueing them (publishers: healing covers what was not sent).
   */
  connect(name: string, options?: { offlineQueue?: boolean }): Redis;
}

/** Reconnects at most this far apart (ms) while Redis is down. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * Redis for fan-out between Minga processes (issue 13), only with `REDIS_URL`: ioredis is loaded
 * then and never otherwise, so one process on SQLite starts exactly as before. Redis may be down
 * at boot or go away later: every connection keeps reconnecting and the server keeps serving.
 */
export default fp(
  async (app) => {
    const url = app.config.redisUrl;
    if (!url) {
      app.decorate('redis', null);
      return;
    }
    const { Redis } = await import('ioredis');
    const log = app.log.child({ plane: 'redis' });
    const opened: Redis[] = [];
    const connect = (name: string, options: { offlineQueue?: boolean } = {}): Redis => {
      const client = new Redis(url, {
        connectionName: `minga-${name}`,
        enableOfflineQueue: options.offlineQueue ?? true,
        // Queued commands (subscriptions) wait for Redis however long it is away.
        maxRetriesPerRequest: null,
        retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS)
      });
      let down = false;
      client.on('error', (err: Error) => {
        if (!down) log.warn({ err: { message: err.message }, connection: name }, 'redis connection error');
        down = true;
      });
      client.on('ready', () => {
        if (down) log.info({ connection: name }, 'redis connection back');
        down = false;
      });
      opened.push(client);
      return client;
    };
    app.decorate('redis', { connect });
    app.addHook('onClose', async () => {
      // quit() waits for Redis; while it is away there is nothing to say goodbye to.
      await Promise.all(opened.map((client) => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect())));
    });
  },
  { name: 'redis', dependencies: ['database'] }
);
