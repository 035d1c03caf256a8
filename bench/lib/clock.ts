/**
 * One clock for every process of a run: CLOCK_MONOTONIC (what `process.hrtime` reads) is
 * system-wide on Linux, so a send time stamped in one worker can be subtracted from a receive
 * time read in another. Microseconds, as a plain number.
 */
export const nowMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** Sleeps until the monotonic clock reaches `atMicros` (returns at once if it already has). */
export function sleepUntil(atMicros: number): Promise<void> {
  const waitMs = (atMicros - nowMicros()) / 1000;
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
