import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { nowMicros, sleepUntil } from '../lib/clock.ts';
import { Histogram } from '../lib/histogram.ts';
import type { Population } from '../servers/types.ts';
import type { Behaviour, FromWorker, ToWorker, WorkerReport } from './protocol.ts';

/**
 * The load generator: spreads the population over worker processes (one process cannot make 500
 * clients' traffic faithfully), runs them on one shared schedule, and merges what they measured.
 */

export interface LaunchOptions {
  workers: number;
  /** Scheduling priority of the worker processes (see MeasureOptions.serverNice). */
  nice?: number;
  behaviour: Behaviour;
  seed: number;
  trackSeen?: boolean;
  connectTimeoutMs?: number;
}

export interface Timing {
  warmupMs: number;
  measureMs: number;
  drainMs: number;
}

export interface LoadResult {
  /** End-to-end latency of marked writes, every receiver; undelivered receipts count as lower bounds. */
  latency: Histogram;
  voteAck: Histogram;
  /** Receipts delivered / expected, for writes sent in the measured window. */
  delivered: number;
  markedWrites: number;
  updatesPerSec: number;
  /** Marked updates received per second, all receivers (the fan-out the server achieved). */
  receiptsPerSec: number;
  /** Bytes each client received per second (frames' payload). */
  bytesInPerClientPerSec: number;
  bytesOutPerClientPerSec: number;
  slowestReceiver: { seat: number; p99: number; mean: number; count: number } | null;
  generatorCpuCores: number;
  generatorLoopP99Ms: number;
  generatorLoopMaxMs: number;
  refused: number;
  refusalSamples: string[];
  closes: number;
  closeSamples: string[];
  voteErrors: Record<string, number>;
  connectMs: number;
}

const WORKER_SCRIPT = join(import.meta.dirname, 'worker.ts');

export class LoadGenerator {
  private readonly reports = new Map<number, (r: WorkerReport) => void>();
  private readonly readies = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  connectMs = 0;

  private constructor(
    private readonly children: ChildProcess[],
    private readonly population: Population
  ) {}

  static async launch(population: Population, options: LaunchOptions): Promise<LoadGenerator> {
    const count = Math.max(1, Math.min(options.workers, population.seats.length));
    const children = Array.from({ length: count }, () =>
      fork(WORKER_SCRIPT, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    );
    if (options.nice !== undefined) for (const child of children) setPriority(child.pid!, options.nice);
    const gen = new LoadGenerator(children, population);
    const started = performance.now();
    const ready = children.map(
      (child, worker) =>
        new Promise<void>((resolve, reject) => {
          gen.readies.set(worker, { resolve, reject });
          child.on('message', (m: FromWorker) => {
            if (m.type === 'ready') gen.readies.get(worker)?.resolve();
            else if (m.type === 'failed') gen.readies.get(worker)?.reject(new Error(`worker ${worker}: ${m.error}`));
            else if (m.type === 'report') gen.reports.get(worker)?.(m);
          });
          child.once('exit', (code) => reject(new Error(`worker ${worker} exited (${code}) before it was ready`)));
        })
    );
    children.forEach((child, worker) => {
      const seats = population.seats.filter((s) => s.index % count === worker).map((s) => s.index);
      const init: ToWorker = { type: 'init', worker, seed: options.seed, population, seats, behaviour: options.behaviour, trackSeen: options.trackSeen ?? false };
      child.send(init);
    });
    const timeout = options.connectTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.all(ready),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`clients not connected after ${timeout} ms`)), timeout)))
      ]);
    } catch (err) {
      await gen.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    gen.connectMs = performance.now() - started;
    return gen;
  }

  private collect(): Promise<WorkerReport[]> {
    return Promise.all(this.children.map((_, worker) => new Promise<WorkerReport>((resolve) => this.reports.set(worker, resolve))));
  }

  /**
   * Warm up, measure, drain. `marks` run at the start and at the end of the measured window (the
   * orchestrator samples the server's CPU there).
   */
  async run(timing: Timing, marks: { atMeasure?: () => void; atStop?: () => void } = {}): Promise<LoadResult> {
    const startAt = nowMicros() + 200_000;
    const measureAt = startAt + timing.warmupMs * 1000;
    const stopAt = measureAt + timing.measureMs * 1000;
    const reportAt = stopAt + timing.drainMs * 1000;
    const reports = this.collect();
    for (const child of this.children) child.send({ type: 'run', startAt, measureAt, stopAt, reportAt } satisfies ToWorker);
    await sleepUntil(measureAt);
    marks.atMeasure?.();
    await sleepUntil(stopAt);
    marks.atStop?.();
    return summarize(await reports, this.population, { stopAt, reportAt, measureSec: timing.measureMs / 1000 }, this.connectMs);
  }

  /** Starts sending with no end (durability rounds). */
  start(): void {
    for (const child of this.children) child.send({ type: 'start' } satisfies ToWorker);
  }

  /** Stops sending and returns each worker's raw report (seen writes included when tracked). */
  async halt(): Promise<WorkerReport[]> {
    const reports = this.collect();
    for (const child of this.children) child.send({ type: 'halt' } satisfies ToWorker);
    return reports;
  }

  /**
   * Drops every client and connects fresh ones, with new Yjs clientIDs from `seed`: a new round
   * without the cost of new worker processes.
   */
  async reset(seed: number): Promise<void> {
    await Promise.all(
      this.children.map(
        (child, worker) =>
          new Promise<void>((resolve, reject) => {
            this.readies.set(worker, { resolve, reject });
            child.send({ type: 'reset', seed } satisfies ToWorker);
          })
      )
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (child.connected) child.send({ type: 'close' } satisfies ToWorker);
            else child.kill('SIGKILL');
          })
      )
    );
  }
}

/** Merges the workers' reports; a receipt that never came counts as (report time − send time). */
export function summarize(
  reports: WorkerReport[],
  population: Population,
  window: { stopAt: number; reportAt: number; measureSec: number },
  connectMs: number
): LoadResult {
  const latency = new Histogram();
  const voteAck = new Histogram();
  const receipts = new Map<number, number>();
  for (const r of reports) {
    latency.merge(r.latency);
    voteAck.merge(r.voteAck);
    for (const [id, n] of r.receipts) receipts.set(id, (receipts.get(id) ?? 0) + n);
  }
  const editorsOn = new Map<number, number>();
  for (const s of population.seats) editorsOn.set(s.board, (editorsOn.get(s.board) ?? 0) + 1);
  let expected = 0;
  let got = 0;
  let marked = 0;
  for (const r of reports) {
    for (const w of r.sent) {
      marked++;
      const want = editorsOn.get(w.board)! - 1;
      const have = Math.min(want, receipts.get(w.writeId) ?? 0);
      expected += want;
      got += have;
      if (have < want) latency.record((window.reportAt - w.sendMicros) / 1000, want - have);
    }
  }
  const clients = reports.reduce((a, r) => a + r.clients, 0);
  let slowest: LoadResult['slowestReceiver'] = null;
  for (const r of reports) for (const c of r.perClient) if (c.count >= 10 && (!slowest || c.p99 > slowest.p99)) slowest = c;
  const sum = (f: (r: WorkerReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  const voteErrors: Record<string, number> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.voteErrors)) voteErrors[k] = (voteErrors[k] ?? 0) + v;
  return {
    latency,
    voteAck,
    delivered: expected === 0 ? 1 : got / expected,
    markedWrites: marked,
    receiptsPerSec: got / window.measureSec,
    updatesPerSec: sum((r) => r.writesInWindow) / window.measureSec,
    bytesInPerClientPerSec: sum((r) => r.bytesInWindow) / clients / window.measureSec,
    bytesOutPerClientPerSec: sum((r) => r.bytesOutWindow) / clients / window.measureSec,
    slowestReceiver: slowest,
    generatorCpuCores: sum((r) => r.cpuCores),
    generatorLoopP99Ms: Math.max(...reports.map((r) => r.eventLoopP99Ms)),
    generatorLoopMaxMs: Math.max(...reports.map((r) => r.eventLoopMaxMs)),
    refused: sum((r) => r.refused),
    refusalSamples: reports.flatMap((r) => r.refusalSamples).slice(0, 5),
    closes: sum((r) => r.closes),
    closeSamples: reports.flatMap((r) => r.closeSamples).slice(0, 5),
    voteErrors,
    connectMs
  };
}
