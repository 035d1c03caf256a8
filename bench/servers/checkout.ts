import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mingaEntry, startNodeProcess, type ServerProcess } from './process.ts';

/** A Minga server of one checkout (its server/src/main.ts serving its own web/build) on a fresh database. */
export interface CheckoutServer {
  server: ServerProcess;
  httpUrl: string;
  wsUrl: string;
  webRoot: string;
  stop(): Promise<void>;
}

/**
 * Starts the server of the checkout in `dir` (the current one or a `git archive` of an earlier
 * commit with its own `web/build`) on a loopback port and a temporary database, the way its
 * `npm start` would (its server build, or its source through tsx for a checkout without one), so a bench can measure a before and an after side by side.
 */
export async function startCheckout(dir: string, env: Record<string, string> = {}): Promise<CheckoutServer> {
  const webRoot = join(dir, 'web/build');
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error(`${webRoot} is missing: build it first (npm run build in ${dir})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'minga-checkout-'));
  const server = await startNodeProcess(mingaEntry(dir), {
    env: { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(dataDir, 'minga.db'), MINGA_WEB_ROOT: webRoot, LOG_LEVEL: 'warn', ...env },
    ready: /abre http:\/\/localhost:(\d+)/
  });
  return {
    server,
    httpUrl: `http://127.0.0.1:${server.port}`,
    wsUrl: `ws://127.0.0.1:${server.port}`,
    webRoot,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
