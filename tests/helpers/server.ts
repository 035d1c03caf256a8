import type { FastifyInstance } from 'fastify';
import type { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig, type Config } from '../../server/src/config.ts';

export interface TestServer {
  app: FastifyInstance;
  config: Config;
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * Starts the real server in-process on a free loopback port with a fresh SQLite file in a temp
 * folder. Quiet unless MINGA_TEST_LOGS=1 or `logStream` is given (then every line, as JSON, goes there).
 */
export async function startServer(env: Record<string, string> = {}, dir?: string, options: { logStream?: Writable } = {}): Promise<TestServer> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'minga-test-'));
  const config = loadConfig({
    DATABASE_PATH: join(folder, 'minga.db'),
    PORT: '0',
    MINGA_WEB_ROOT: '',
    LOG_LEVEL: options.logStream ? 'trace' : process.env.MINGA_TEST_LOGS ? 'info' : 'silent',
    ROOM_IDLE_UNLOAD_MS: '0',
    ...env
  });
  const app = await buildApp(config, { logger: { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    dir: folder,
    async close() {
      await app.close();
      if (!dir) rmSync(folder, { recursive: true, force: true });
    }
  };
}
