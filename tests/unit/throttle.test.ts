import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../server/src/client-address.ts';
import { SocketThrottle } from '../../server/src/sync/extensions/throttle.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('SocketThrottle', () => {
  const limits = { perParticipant: { perSecond: 10, burst: 5 }, perAddress: { perSecond: 100, burst: 8 } };

  it('charges the participant and the address together, and refills both over time', () => {
    const c = clock();
    const throttle = new SocketThrottle(limits, c.now);
    for (let i = 0; i < 5; i++) expect(throttle.take('a', 'ana')).toBe(true);
    expect(throttle.take('a', 'ana')).toBe(false);
    // Ana is out; the address still has 3, which Ben may use.
    for (let i = 0; i < 3; i++) expect(throttle.take('a', 'ben')).toBe(true);
    expect(throttle.take('a', 'ben')).toBe(false);
    // A refused message costs nothing: Ben's bucket still holds 2.
    c.advance(100); // +1 for Ana, +10 (capped at 8) for the address
    expect(throttle.take('a', 'ana')).toBe(true);
    expect(throttle.take('a', 'ana')).toBe(false);
    expect(throttle.take('a', 'ben')).toBe(true);
    expect(throttle.take('a', 'ben')).toBe(true);
  });

  it('forgets buckets once they have refilled, and only those', () => {
    const c = clock();
    const throttle = new SocketThrottle({ perParticipant: { perSecond: 1, burst: 100 }, perAddress: { perSecond: 1, burst: 1_000 } }, c.now);
    for (let i = 0; i < 1_000; i++) throttle.take(`addr-${i}`, `p-${i}`);
    for (let i = 0; i < 99; i++) throttle.take('busy', 'drained');
    expect(throttle.size).toEqual({ participants: 1_001, addresses: 1_001 });
    c.advance(61_000); // the sweep runs at most once a minute; 61 s refills a bucket short of ≤ 61
    throttle.take('x', 'y');
    // 'drained' is 99 short and only 61 came back: kept, so reconnecting does not refill it.
    expect(throttle.size.participants).toBe(2);
    expect(throttle.take('x', 'drained')).toBe(true);
  });

  it('holds at most 100,000 keys per kind', () => {
    const throttle = new SocketThrottle(limits, () => 0);
    for (let i = 0; i < 100_010; i++) throttle.take('a', `p-${i}`);
    expect(throttle.size.participants).toBe(100_000);
  });
});

describe('clientAddress', () => {
  const req = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

  it('is the peer address unless proxies are trusted, then the address the outermost trusted proxy saw', () => {
    expect(clientAddress(req('::ffff:127.0.0.1', '203.0.113.9'), 0)).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', '198.51.100.1, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(req('127.0.0.1', '198.51.100.1, 203.0.113.9'), 2)).toBe('198.51.100.1');
    expect(clientAddress(req('127.0.0.1'), 1)).toBe('127.0.0.1');
  });

  it('groups IPv6 addresses by their /64 network', () => {
    expect(clientAddress(req('2001:db8:1:2::1'), 0)).toBe(clientAddress(req('2001:db8:1:2::ffff'), 0));
    expect(clientAddress(req('2001:db8:1:2::1'), 0)).not.toBe(clientAddress(req('2001:db8:1:3::1'), 0));
  });
});
