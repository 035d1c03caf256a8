import { describe, expect, it } from 'vitest';
import { clockOffset, formatClock, timeLeft } from '../../web/src/lib/session/countdown.ts';

const MIN = 60_000;

describe('session countdown under client clock skew', () => {
  // The server's clock reads 1_000_000 when it sends a state whose phase ends 5 minutes later.
  const serverNow = 1_000_000;
  const state = { status: 'running' as const, endsAt: serverNow + 5 * MIN, remainingMs: 5 * MIN, serverNow };

  it.each([
    ['2 minutes fast', 2 * MIN],
    ['2 minutes slow', -2 * MIN],
    ['on time', 0]
  ])('shows the true time left on a client whose clock is %s', (_label, skew) => {
    const latency = 120; // ms the state took to arrive
    const receivedAt = serverNow + latency + skew; // client clock when it arrived
    const offset = clockOffset(serverNow, receivedAt);
    // 90 seconds later (real time), the client's clock reads receivedAt + 90 s.
    const left = timeLeft(state, offset, receivedAt + 90_000)!;
    const truth = state.endsAt - (serverNow + latency + 90_000); // on the server's clock at that moment
    // Whatever the skew, the estimate is off only by the one-way latency of the state message.
    expect(left - truth).toBe(latency);
    expect(left).toBe(5 * MIN - 90_000);
  });

  it('never goes below zero, freezes while paused and reads zero when expired', () => {
    expect(timeLeft(state, 0, serverNow + 10 * MIN)).toBe(0);
    expect(timeLeft({ ...state, status: 'paused', endsAt: null, remainingMs: 42_000 }, 5 * MIN, 0)).toBe(42_000);
    expect(timeLeft({ ...state, status: 'expired', endsAt: null }, 0, serverNow)).toBe(0);
    expect(timeLeft({ ...state, status: 'idle', endsAt: null, remainingMs: null }, 0, serverNow)).toBeNull();
  });

  it('formats minutes and seconds, rounding up', () => {
    expect(formatClock(5 * MIN)).toBe('5:00');
    expect(formatClock(59_001)).toBe('1:00');
    expect(formatClock(1)).toBe('0:01');
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(75 * MIN)).toBe('1:15:00');
  });
});
