import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

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
 * Starts `node <flags> --import tsx <script>` and waits until it prints the line that holds its
 * port (`ready`, whose first group is the port).
 */
export async function startNodeProcess(
  script: string,
  options: { env?: Record<string, string>; nodeFlags?: string[]; ready: RegExp; timeoutMs?: number }
): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', script], {
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
