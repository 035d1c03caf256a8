import { afterEach, describe, expect, it, vi } from 'vitest';
import { BroadcastPacer } from '../../server/src/sync/broadcast-pacer.ts';
import {
  BROADCAST_BURST_MS,
  BROADCAST_INTERVAL_MS,
  BROADCAST_SENDS_PER_MS,
  FIXED_PAUSE_SENDS_PER_MS
} from '../../server/src/sync/wire-cadence.ts';

/** A pacer on a clock the test moves by hand. */
function pacer(pacing: 'token-bucket' | 'fixed-pause' = 'token-bucket') {
  let now = 1_000;
  const broadcasts: number[] = [];
  const p = new BroadcastPacer(pacing, BROADCAST_INTERVAL_MS, () => broadcasts.push(now), () => now);
  return { p, broadcasts, advance: (ms: number) => (now += ms) };
}

/** How many broadcasts of `sends` writes go out back to back before one has to wait. */
function burstOf(p: BroadcastPacer, sends: number): number {
  let n = 0;
  while (p.waitFor(sends) <= 0 && n < 100_000) {
    p.spent(sends);
    n++;
  }
  return n;
}

describe('BroadcastPacer: a budget of socket writes per room', () => {
  afterEach(() => vi.useRealTimers());

  it('lets a quiet room spend its whole burst at once, whatever its size', () => {
    const burst = BROADCAST_SENDS_PER_MS * BROADCAST_BURST_MS;
    expect(burstOf(pacer().p, 10)).toBe(burst / 10);
    expect(burstOf(pacer().p, 100)).toBe(burst / 100);
    expect(burstOf(pacer().p, 500)).toBe(Math.ceil(burst / 500));
  });

  it('makes a busy room wait only for the budget it lacks, then refills it', () => {
    const { p, advance } = pacer();
    burstOf(p, 500);
    // 500 writes at BROADCAST_SENDS_PER_MS: 5 ms, less what the last broadcast left over.
    const wait = p.waitFor(500);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(500 / BROADCAST_SENDS_PER_MS);
    advance(wait);
    expect(p.waitFor(500)).toBeLessThanOrEqual(0);
    // Steady state: one broadcast of 500 writes per 5 ms, half the old fixed pause of 10 ms.
    p.spent(500);
    expect(p.waitFor(500)).toBe(500 / BROADCAST_SENDS_PER_MS);
  });

  it('never holds a broadcast longer than the interval, even for a room larger than the burst', () => {
    const { p } = pacer();
    p.spent(20_000);
    p.spent(20_000);
    expect(p.waitFor(20_000)).toBe(BROADCAST_INTERVAL_MS);
  });

  it('keeps the old fixed pause for the bench: connections / 50 ms after every broadcast, capped', () => {
    const { p, advance } = pacer('fixed-pause');
    expect(p.waitFor(500)).toBeLessThanOrEqual(0);
    p.spent(500);
    expect(p.waitFor(500)).toBe(500 / FIXED_PAUSE_SENDS_PER_MS);
    advance(4);
    expect(p.waitFor(500)).toBe(500 / FIXED_PAUSE_SENDS_PER_MS - 4);
    expect(p.waitFor(5_000)).toBe(BROADCAST_INTERVAL_MS - 4);
  });

  it('runs one broadcast for all the requests made while one waits', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'clearTimeout', 'clearImmediate'] });
    const { p, broadcasts, advance } = pacer();
    p.request(10);
    p.request(10);
    vi.runAllTimers();
    expect(broadcasts).toHaveLength(1);
    // Spent: the room's budget is gone, so the next request waits for 500 writes' worth.
    p.spent(3_000);
    p.request(500);
    p.request(500);
    expect(p.pending).toBe(true);
    vi.advanceTimersByTime(500 / BROADCAST_SENDS_PER_MS - 1);
    expect(broadcasts).toHaveLength(1);
    advance(500 / BROADCAST_SENDS_PER_MS);
    vi.advanceTimersByTime(1);
    expect(broadcasts).toHaveLength(2);
    expect(p.pending).toBe(false);
  });
});
