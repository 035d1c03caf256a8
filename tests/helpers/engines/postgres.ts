import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { debianPostgresBinDirs, EngineMissingError, findBinaryDir, freePort, spawnEngine, stopProcess } from './binaries.ts';

const INSTALL_HINT = 'apt-get install -y postgresql';
/** The superuser initdb creates; local connections are trusted, so it has no password. */
const SUPERUSER = 'minga';
/** Tries of a fresh port when another process took the one picked between the check and the bind. */
const PORT_TRIES = 5;

export interface PostgresServer {
  /** Superuser URL of the `postgres` database: `postgres://minga@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** Creates an empty database (a name of lower-case letters, digits, `_`) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (clients are disconnected), then the temp folder is removed. */
  stop(): Promise<void>;
}

/**
 * The user PostgreSQL runs as. It refuses to run as root, so under root (CI, this machine) it runs
 * as the `postgres` user that Debian's package creates, through `runuser`.
 */
function runAs(): { prefix: string[]; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new EngineMissingError(`PostgreSQL cannot run as root and there is no 'postgres' user; install the server: ${INSTALL_HINT}`);
  }
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Splits `[...prefix, bin, ...args]` into a command and its arguments. */
const command = (prefix: readonly string[], bin: string, args: readonly string[]): [string, string[]] =>
  prefix.length > 0 ? [prefix[0]!, [...prefix.slice(1), bin, ...args]] : [bin, [...args]];

/**
 * Starts a PostgreSQL server of its own for a test: initdb in a temp folder, then `postgres` on a
 * free loopback port (and a Unix socket in the same folder). Binaries come from `binDirs` (default:
 * Debian's /usr/lib/postgresql/<major>/bin, newest first), then PATH; without them it throws an
 * `EngineMissingError` that names the package to install. `settings` are passed as `-c name=value`.
 *
 * @example
 * const server = await startPostgres();
 * const url = await server.createDatabase('schema_test');
 * // … connect with pg, run migrations …
 * await server.stop();
 */
export async function startPostgres(
  options: { settings?: Record<string, string>; binDirs?: readonly string[] } = {}
): Promise<PostgresServer> {
  const binDir = findBinaryDir(['initdb', 'postgres'], options.binDirs ?? debianPostgresBinDirs());
  if (!binDir) {
    throw new EngineMissingError(`PostgreSQL (initdb and postgres) is not in /usr/lib/postgresql/*/bin nor on PATH; install it: ${INSTALL_HINT}`);
  }
  const user = runAs();
  const prefix = user?.prefix ?? [];
  const dir = mkdtempSync(join(tmpdir(), 'minga-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');

  try {
    // -N: initdb skips fsync of its files (a throwaway cluster); --no-locale keeps messages in English.
    const initdbArgs = ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '-N'];
    const [initCmd, initArgs] = command(prefix, join(binDir, 'initdb'), initdbArgs);
    const init = spawnSync(initCmd, initArgs, { cwd: dir, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}):\n${init.stdout}${init.stderr}`);

    const settings = Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const postgresArgs = ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir, ...settings];
      const [cmd, args] = command(prefix, join(binDir, 'postgres'), postgresArgs);
      let engine;
      try {
        engine = await spawnEngine(cmd, args, /database system is ready to accept connections/, { cwd: dir });
      } catch (err) {
        if (attempt < PORT_TRIES && /already in use/.test(String(err))) continue;
        throw err;
      }
      // Under runuser the child is runuser; the postmaster's own pid is the first line of postmaster.pid.
      const postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // If the test process exits without stop() (a crash, a timeout), take the server down with it
      // (SIGQUIT: immediate shutdown) and remove its folder, as far as a synchronous hook can.
      const onExit = () => {
        try {
          process.kill(postmasterPid, 'SIGQUIT');
        } catch {
          // already gone
        }
        rmSync(dir, { recursive: true, force: true });
      };
      process.once('exit', onExit);
      const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
      return {
        url,
        port,
        async createDatabase(name) {
          if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query(`CREATE DATABASE ${name}`);
          } finally {
            await client.end();
          }
          return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
        },
        async stop() {
          process.removeListener('exit', onExit);
          // SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them.
          await stopProcess(engine, 'SIGINT', postmasterPid);
          rmSync(dir, { recursive: true, force: true });
        }
      };
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
