import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Log, Track } from '../sync/types.ts';

/** One tracked operation that ran on the event loop (times on `performance.now()`). */
interface Ran {
  op: string;
  startedAt: number;
  endedAt: number;
  detail: object;
}

/** The stall detector's timer: a tick this much later than due means the loop was blocked. */
const TICK_MS = 50;
/** Operations remembered for attribution (a stall looks back only at its own window). */
const KEPT = 64;

export interface LoopMonitorOptions {
  /** Log `event loop stalled` when the loop was blocked at least this long (ms); 0: off. */
  stallMs: number;
  /** Log `process stats` this often (ms); 0: off. */
  statsEveryMs: number;
  /** Extra figures for each stats line (WAL size, rooms). */
  stats?: () => object;
  /** CPU time this process used so far, ms (tests pass their own). */
  cpuMs?: () => number;
}

const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Watches the event loop. A stall (the loop blocked ≥ `stallMs`) is logged with the tracked
 * operations that ran during it, longest first, as its cause (`log load`, `compaction`, `export`,
 * `checkpoint`…); else `descheduled` if the process got little CPU meanwhile (a busy machine), or
 * `unattributed` (its own untracked work: garbage collection, fan-out of a broadcast). Every
 * `statsEveryMs`: heap, RSS and loop delay (p99, max) over the interval.
 */
export class LoopMonitor {
  private readonly recent: Ran[] = [];
  /** Asynchronous operations under way (a DOCX render, a backup): named if a stall falls inside them. */
  private readonly inFlight = new Set<Omit<Ran, 'endedAt'>>();
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });
  private readonly timers: NodeJS.Timeout[] = [];
  private due = performance.now() + TICK_MS;
  private readonly cpuNow: () => number;
  private cpu: number;

  constructor(
    private readonly log: Log,
    private readonly options: LoopMonitorOptions
  ) {
    this.cpuNow = options.cpuMs ?? processCpuMs;
    this.cpu = this.cpuNow();
    if (options.stallMs > 0) this.timers.push(setInterval(this.check, TICK_MS).unref());
    if (options.statsEveryMs > 0) {
      this.delay.enable();
      this.timers.push(setInterval(this.report, options.statsEveryMs).unref());
    }
  }

  /** Runs `run` and remembers it, so a stall it caused names it. */
  track: Track = (op, detail, run) => {
    const startedAt = performance.now();
    try {
      return run();
    } finally {
      this.recent.push({ op, startedAt, endedAt: performance.now(), detail });
      if (this.recent.length > KEPT) this.recent.shift();
    }
  };

  /** The same for an asynchronous operation: a stall while it is under way names it too. */
  trackAsync = async <T>(op: string, detail: object, run: () => Promise<T>): Promise<T> => {
    const entry = { op, startedAt: performance.now(), detail };
    this.inFlight.add(entry);
    try {
      return await run();
    } finally {
      this.inFlight.delete(entry);
      this.recent.push({ ...entry, endedAt: performance.now() });
      if (this.recent.length > KEPT) this.recent.shift();
    }
  };

  private check = () => {
    const now = performance.now();
    const lag = now - this.due;
    this.due = now + TICK_MS;
    const cpu = this.cpuNow();
    const cpuMs = Math.round(cpu - this.cpu);
    this.cpu = cpu;
    if (lag < this.options.stallMs) return;
    // CPU the process got meanwhile: far less than the lag means it was waiting for a core (other
    // processes on the machine), not running anything of its own.
    const since = now - lag - TICK_MS;
    const ops = [
      ...this.recent.filter((r) => r.endedAt >= since).map((r) => ({ op: r.op, ms: Math.round(r.endedAt - r.startedAt), ...r.detail })),
      ...[...this.inFlight].map((r) => ({ op: r.op, ms: Math.round(now - r.startedAt), inFlight: true, ...r.detail }))
    ].sort((a, b) => b.ms - a.ms);
    const cause = ops[0]?.op ?? (cpuMs < lag / 2 ? 'descheduled' : 'unattributed');
    this.log.warn({ lagMs: Math.round(lag), cpuMs, cause, ops }, 'event loop stalled');
  };

  private report = () => {
    const mem = process.memoryUsage();
    const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
    this.log.info(
      {
        heapUsedMb: mb(mem.heapUsed),
        heapTotalMb: mb(mem.heapTotal),
        rssMb: mb(mem.rss),
        loopP99Ms: Math.round(this.delay.percentile(99) / 1e5) / 10,
        loopMaxMs: Math.round(this.delay.max / 1e5) / 10,
        ...this.options.stats?.()
      },
      'process stats'
    );
    this.delay.reset();
  };

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.delay.disable();
  }
}
