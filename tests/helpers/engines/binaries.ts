import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';

/**
 * An engine a test needs is not installed: the message says which package brings it, so the test
 * fails with the fix instead of skipping.
 */
export class EngineMissingError extends Error {
  override name = 'EngineMissingError';
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The folders of PATH, in order, each with symlinks resolved (/usr/local/bin/initdb → …/15/bin). */
function pathDirsHolding(name: string): string[] {
  const dirs: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) dirs.push(dirname(realpathSync(candidate)));
  }
  return dirs;
}

/**
 * The first folder that holds every one of `names`: the `extraDirs` first, then the folders of PATH.
 * Null when none does.
 */
export function findBinaryDir(names: readonly string[], extraDirs: readonly string[] = []): string | null {
  const candidates = [...extraDirs, ...pathDirsHolding(names[0]!)];
  return candidates.find((dir) => names.every((name) => isExecutable(join(dir, name)))) ?? null;
}

/** Debian's PostgreSQL servers, newest major version first: /usr/lib/postgresql/<major>/bin. */
export function debianPostgresBinDirs(root = '/usr/lib/postgresql'): string[] {
  let majors: string[];
  try {
    majors = readdirSync(root);
  } catch {
    return [];
  }
  return majors
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'));
}

/**
 * A loopback port nothing listens on right now. Another process may still take it before the
 * engine binds it, so the starters retry on "address in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface EngineProcess {
  proc: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Spawns an engine and resolves once its output matches `ready`; rejects with its output if it
 * exits first or takes longer than `timeoutMs`.
 */
export async function spawnEngine(
  command: string,
  args: readonly string[],
  ready: RegExp,
  options: { cwd?: string; timeoutMs?: number } = {}
): Promise<EngineProcess> {
  const proc = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${command} was not ready after ${options.timeoutMs ?? 30_000} ms:\n${out}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${out}`));
    });
  });
  return { proc, output: () => out, exited };
}

/** `process.kill` that ignores a process already gone. */
const signalIfAlive = (pid: number | undefined, signal: NodeJS.Signals): void => {
  try {
    if (pid !== undefined) process.kill(pid, signal);
  } catch {
    // ESRCH: it exited meanwhile
  }
};

/**
 * Sends `signal` to `pid` (the engine itself, when the child is a wrapper such as runuser), then
 * SIGKILL to both if the child is still there after `graceMs`.
 */
export async function stopProcess(engine: EngineProcess, signal: NodeJS.Signals, pid = engine.proc.pid, graceMs = 10_000): Promise<void> {
  if (engine.proc.exitCode !== null || engine.proc.signalCode !== null) return;
  signalIfAlive(pid, signal);
  const timer = setTimeout(() => {
    signalIfAlive(pid, 'SIGKILL');
    engine.proc.kill('SIGKILL');
  }, graceMs);
  await engine.exited;
  clearTimeout(timer);
}
