import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineMissingError, findBinaryDir, freePort, spawnEngine, stopProcess, type EngineProcess } from './binaries.ts';

const INSTALL_HINT = 'apt-get install -y redis-server';
const PORT_TRIES = 5;

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /**
   * Stops and starts it again on the same port, empty (nothing is persisted): a Redis restart.
   * `whileDown` runs after it stopped and before it starts again.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops it and removes its temp folder. */
  stop(): Promise<void>;
}

const READY = /Ready to accept connections/;

/**
 * Starts a redis-server of its own for a test, on a free loopback port with a temp folder as its
 * working directory and no persistence (a test's Redis holds only pub/sub and caches). The binary
 * comes from `binDirs` (default: Debian's /usr/bin, then /usr/local/bin), then PATH; without it
 * this throws an `EngineMissingError` naming the package to install.
 *
 * @example
 * const redis = await startRedis();
 * const client = new Redis(redis.url);
 * // …
 * await redis.stop();
 */
export async function startRedis(options: { binDirs?: readonly string[] } = {}): Promise<RedisServer> {
  const binDir = findBinaryDir(['redis-server'], options.binDirs ?? ['/usr/bin', '/usr/local/bin']);
  if (!binDir) throw new EngineMissingError(`redis-server is not on PATH nor in /usr/bin; install it: ${INSTALL_HINT}`);
  const bin = join(binDir, 'redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'minga-redis-'));
  const args = (port: number) => ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];

  let port = 0;
  let engine: EngineProcess | undefined;
  try {
    for (let attempt = 1; !engine; attempt++) {
      port = await freePort();
      try {
        engine = await spawnEngine(bin, args(port), READY, { cwd: dir });
      } catch (err) {
        if (attempt >= PORT_TRIES || !/already in use/.test(String(err))) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  // If the test process exits without stop(), the server and its folder go with it.
  const onExit = () => {
    engine?.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart(whileDown) {
      await stopProcess(engine!, 'SIGTERM');
      await whileDown?.();
      engine = await spawnEngine(bin, args(port), READY, { cwd: dir });
    },
    async stop() {
      process.removeListener('exit', onExit);
      await stopProcess(engine!, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
