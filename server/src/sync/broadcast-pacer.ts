import {
  BROADCAST_BURST_MS,
  BROADCAST_SENDS_PER_MS,
  FIXED_PAUSE_SENDS_PER_MS,
  type BroadcastPacing
} from './wire-cadence.ts';

/**
 * When a room broadcasts its batched updates. One broadcast costs one socket write per
 * connection, the cost that grows with the room; the room holds a budget of writes (a token
 * bucket of BROADCAST_SENDS_PER_MS, up to BROADCAST_BURST_MS worth), spends it on every broadcast
 * and waits only for the budget it lacks, at most `maxWaitMs`. A room of 10 or 100 flushes at the
 * end of the tick; a busy room of 500 batches what arrives in the ~5 ms its budget takes to refill.
 *
 * `fixed-pause` is the behaviour before issue 10, kept for bench/ to compare in the same run: at
 * least connections / FIXED_PAUSE_SENDS_PER_MS ms between two broadcasts, capped at `maxWaitMs`.
 */
export class BroadcastPacer {
  private readonly capacity = BROADCAST_SENDS_PER_MS * BROADCAST_BURST_MS;
  private tokens = this.capacity;
  private refilledAt: number;
  private lastSpentAt = -Infinity;
  private scheduled = false;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  constructor(
    private readonly pacing: BroadcastPacing,
    private readonly maxWaitMs: number,
    private readonly broadcast: () => void,
    private readonly now: () => number = () => performance.now()
  ) {
    this.refilledAt = now();
  }

  /**
   * A broadcast of `sends` writes is wanted: it runs at the end of this tick if the budget covers
   * it, else once it does (or `maxWaitMs` passed). Requests made meanwhile join that broadcast.
   */
  request(sends: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.waitFor(sends);
    const run = () => {
      this.scheduled = false;
      this.timer = null;
      this.broadcast();
    };
    this.timer = wait <= 0 ? setImmediate(run) : setTimeout(run, wait);
  }

  /** How long (ms) a broadcast of `sends` writes must wait from now; ≤ 0: none. */
  waitFor(sends: number): number {
    if (this.pacing === 'fixed-pause') {
      return this.lastSpentAt + Math.min(this.maxWaitMs, sends / FIXED_PAUSE_SENDS_PER_MS) - this.now();
    }
    this.refill();
    const lacking = Math.min(sends, this.capacity) - this.tokens;
    return lacking <= 0 ? 0 : Math.min(this.maxWaitMs, lacking / BROADCAST_SENDS_PER_MS);
  }

  /** A broadcast of `sends` writes went out (paced or not: sync replies and server writes flush at once). */
  spent(sends: number): void {
    this.refill();
    this.lastSpentAt = this.now();
    // A debt of more than one full budget is forgiven: the wait is capped at `maxWaitMs` anyway.
    this.tokens = Math.max(-this.capacity, this.tokens - sends);
  }

  /** Whether a broadcast is waiting for its turn. */
  get pending(): boolean {
    return this.scheduled;
  }

  cancel(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = null;
    this.scheduled = false;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * BROADCAST_SENDS_PER_MS);
    this.refilledAt = now;
  }
}
