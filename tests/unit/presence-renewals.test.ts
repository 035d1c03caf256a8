import { afterEach, describe, expect, it } from 'vitest';
import { PresenceRenewals } from '../../server/src/sync/presence-renewals.ts';
import { PRESENCE_RENEWAL_JITTER_MS, PRESENCE_RENEWAL_MS } from '../../server/src/sync/wire-cadence.ts';

function renewals(random = 0.5) {
  let now = 0;
  const relayed: number[][] = [];
  const r = new PresenceRenewals((ids) => relayed.push(ids), () => now, () => random);
  return { r, relayed, at: (ms: number) => (now = ms) };
}

describe('PresenceRenewals: unchanged presence is relayed once per window', () => {
  const made: PresenceRenewals[] = [];
  afterEach(() => made.splice(0).forEach((r) => r.stop()));

  it('lets the first renewal of a client nothing was relayed for through', () => {
    const { r } = renewals();
    made.push(r);
    expect(r.renewed(7)).toBe(true);
  });

  it('holds a renewal until the window and the client\'s jitter have passed', () => {
    const { r, relayed, at } = renewals(0.5);
    made.push(r);
    const due = PRESENCE_RENEWAL_MS + 0.5 * PRESENCE_RENEWAL_JITTER_MS;
    r.relayed(7);
    at(15_000);
    expect(r.renewed(7)).toBe(false);
    at(due - 1);
    r.sweep();
    expect(relayed).toEqual([]);
    at(due);
    r.sweep();
    expect(relayed).toEqual([[7]]);
    // Relayed: the next window starts now, and nothing is held until the client renews again.
    at(due * 3);
    r.sweep();
    expect(relayed).toHaveLength(1);
    expect(r.renewed(7)).toBe(false);
    r.sweep();
    expect(relayed).toEqual([[7], [7]]);
  });

  it('drops a held renewal once the state changed (relayed) or the client left (forgotten)', () => {
    const { r, relayed, at } = renewals(0);
    made.push(r);
    r.relayed(1);
    r.relayed(2);
    at(16_000);
    r.renewed(1);
    r.renewed(2);
    expect(r.holding).toBe(2);
    r.relayed(1);
    r.forget(2);
    expect(r.holding).toBe(0);
    at(60_000);
    r.sweep();
    expect(relayed).toEqual([]);
  });
});
