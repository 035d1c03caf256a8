import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SERVER_ENTRY } from '../../scripts/build-server.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  wsUrl: string;
  /** Everything the process printed so far. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGKILL: no shutdown hook runs, as in a crash or `kill -9`. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the server build, server/dist/main.js, as its own process (what `npm start` runs) on a free
 * port. Vitest's global setup builds it from the current sources first.
 */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dataDir, 'minga.db'),
      MINGA_WEB_ROOT: '',
      LOG_LEVEL: 'info',
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      if (w.pattern.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const waitForOutput = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(out)) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`)), timeoutMs);
      waiters.push({
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`server exited while waiting for ${pattern}; output:\n${out}`));
      });
    });

  await waitForOutput(/abre http:\/\/localhost:(\d+)/);
  const port = /abre http:\/\/localhost:(\d+)/.exec(out)![1];
  return {
    proc,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    output: () => out,
    waitForOutput,
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    }
  };
}
