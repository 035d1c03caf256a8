import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

const built = new Map<string, string>();

/**
 * The server a Minga checkout's `npm start` runs: its build (server/dist/main.js), brought up to
 * date by that checkout's own build script, once per process. An older checkout (a baseline) with
 * no server build runs its source through tsx, as its own `npm start` did.
 */
export function mingaEntry(root: string = ROOT): string {
  const dir = resolve(root);
  const known = built.get(dir);
  if (known) return known;
  let entry = join(dir, 'server/src/main.ts');
  if (existsSync(join(dir, 'scripts/build-server.ts'))) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'scripts/build-if-needed.ts'), 'server'], { cwd: dir, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${dir}: the server build failed (status ${result.status})`);
    entry = join(dir, 'server/dist/main.js');
  }
  built.set(dir, entry);
  return entry;
}

export interface ServerProcess {
  proc: ChildProcess;
  pid: number;
  port: number;
  output(): string;
  /** Resolves when the output matches (or already did). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Calls `listener` with every complete line printed from now on. */
  onLine(listener: (line: string) => void): void;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

const OUTPUT_KEEP_CHARS = 2_000_000;

/**
 * Starts `node <flags> --import tsx <script>` (plain `node <flags> <script>` for a built `.js`) and
 * waits until it prints the line that holds its port (`ready`, whose first group is the port).
 */
export async function startNodeProcess(
  script: string,
  options: { env?: Record<string, string>; nodeFlags?: string[]; ready: RegExp; timeoutMs?: number }
): Promise<ServerProcess> {
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx'];
  const proc = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, script], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  /** The unfinished last line of each stream (stdout and stderr interleave by chunk). */
  const partial = { out: '', err: '' };
  const lineListeners: ((line: string) => void)[] = [];
  const waiters = new Set<() => void>();
  const onData = (stream: keyof typeof partial) => (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    if (lineListeners.length > 0) {
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop()!;
      for (const line of lines) for (const l of lineListeners) l(line);
    }
    if (out.length > OUTPUT_KEEP_CHARS) out = out.slice(-OUTPUT_KEEP_CHARS / 2);
    for (const w of [...waiters]) w();
  };
  proc.stdout!.on('data', onData('out'));
  proc.stderr!.on('data', onData('err'));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const w of [...waiters]) w();
  });

  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out);
        if (match) {
          done();
          resolve(match);
        } else if (hasExited) {
          done();
          reject(new Error(`${script} exited while waiting for ${pattern}; output:\n${out.slice(-4000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${script}: timed out waiting for ${pattern}; output:\n${out.slice(-4000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const match = await waitFor(options.ready, options.timeoutMs);
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    pid: proc.pid!,
    port: Number(match[1]),
    output: () => out,
    waitFor,
    onLine: (listener) => void lineListeners.push(listener),
    async stop() {
      if (!alive()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (alive()) proc.kill('SIGKILL');
      await exited;
    }
  };
}
