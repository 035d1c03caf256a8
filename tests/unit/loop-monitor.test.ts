import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoopMonitor } from '../../server/src/diagnostics/loop-monitor.ts';
import type { Log } from '../../server/src/sync/types.ts';

/** Keeps the thread busy, as a long synchronous operation does. */
const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('LoopMonitor', () => {
  let monitor: LoopMonitor | null = null;
  afterEach(() => monitor?.stop());

  const capture = () => {
    const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
    const log: Log = {
      info: (obj, msg) => void lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
      warn: (obj, msg) => void lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
      error: (obj, msg) => void lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
      debug: () => {},
      child: () => log
    };
    return { log, lines };
  };

  /** The CPU time the monitor reads: real time while `busy` (a thread that runs), frozen otherwise. */
  const fakeCpu = () => {
    let busy = true;
    let frozenAt = 0;
    let offset = 0;
    return {
      cpuMs: () => (busy ? performance.now() - offset : frozenAt),
      pause: () => {
        busy = false;
        frozenAt = performance.now() - offset;
      },
      resume: () => {
        offset = performance.now() - frozenAt;
        busy = true;
      }
    };
  };

  it('names the tracked operation that blocked the event loop, and says when none did', async () => {
    const { log, lines } = capture();
    // Whatever this machine's other processes do, this thread counts as running throughout.
    monitor = new LoopMonitor(log, { stallMs: 150, statsEveryMs: 0, cpuMs: fakeCpu().cpuMs });
    await new Promise((resolve) => setTimeout(resolve, 120));
    monitor.track('compaction', { docId: 'b1' }, () => block(400));
    // (A busy machine may add stalls of its own: look for this one.)
    const stalls = () => lines.filter((l) => l.msg === 'event loop stalled').map((l) => l.obj);
    await vi.waitFor(() => expect(stalls().some((s) => s.cause === 'compaction')).toBe(true));
    const mine = stalls().find((s) => s.cause === 'compaction')!;
    expect(mine).toMatchObject({ ops: [{ op: 'compaction', docId: 'b1', ms: expect.any(Number) }] });
    expect(mine.lagMs).toBeGreaterThanOrEqual(150);

    await new Promise((resolve) => setTimeout(resolve, 120));
    const before = stalls().length;
    block(400);
    await vi.waitFor(() => expect(stalls().length).toBeGreaterThan(before));
    // The thread was busy all along (not waiting for a core): its own untracked work.
    expect(stalls()[before]).toMatchObject({ cause: 'unattributed', ops: [] });
  });

  it('tells a process that waited for a core from one that was busy', async () => {
    const { log, lines } = capture();
    const cpu = fakeCpu();
    monitor = new LoopMonitor(log, { stallMs: 150, statsEveryMs: 0, cpuMs: cpu.cpuMs });
    await new Promise((resolve) => setTimeout(resolve, 120));
    // Late, with no CPU used meanwhile: what other processes taking the cores look like.
    cpu.pause();
    block(400);
    cpu.resume();
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'event loop stalled')).toBe(true));
    expect(lines.find((l) => l.msg === 'event loop stalled')!.obj).toMatchObject({ cause: 'descheduled', ops: [] });
  });

  it('logs heap, RSS, loop delay and the extra figures every interval', async () => {
    const { log, lines } = capture();
    monitor = new LoopMonitor(log, { stallMs: 0, statsEveryMs: 50, stats: () => ({ walMb: 1.5 }) });
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'process stats')).toBe(true));
    expect(lines.find((l) => l.msg === 'process stats')!.obj).toMatchObject({
      heapUsedMb: expect.any(Number),
      rssMb: expect.any(Number),
      loopP99Ms: expect.any(Number),
      walMb: 1.5
    });
  });
});
