import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../bench/suggestions/ari.ts';

describe('adjustedRandIndex', () => {
  it('matches a case computed by hand', () => {
    // a = {0,1,2}{3,4,5}, b = {0,1}{2,3}{4,5}: contingency [[2,1,0],[0,1,2]].
    // Σ C(nij,2) = 1 + 1 = 2; rows 3 + 3 = 6; cols 1 + 1 + 1 = 3; C(6,2) = 15.
    // expected = 6·3/15 = 1.2; max = (6 + 3)/2 = 4.5; ARI = (2 − 1.2)/(4.5 − 1.2) = 0.8/3.3.
    const a = ['x', 'x', 'x', 'y', 'y', 'y'];
    const b = ['p', 'p', 'q', 'q', 'r', 'r'];
    expect(adjustedRandIndex(a, b)).toBeCloseTo(0.8 / 3.3, 12);
    expect(adjustedRandIndex(b, a)).toBeCloseTo(0.8 / 3.3, 12);
  });

  it('is 1 for the same partition under other names, and for two all-singleton partitions', () => {
    expect(adjustedRandIndex(['a', 'a', 'b', 'c'], ['z', 'z', 'y', 'x'])).toBe(1);
    expect(adjustedRandIndex(['a', 'b', 'c'], ['x', 'y', 'z'])).toBe(1);
  });

  it('is negative when the partitions disagree more than chance', () => {
    expect(adjustedRandIndex(['a', 'a', 'b', 'b'], ['x', 'y', 'x', 'y'])).toBeCloseTo(-0.5, 12);
  });

  it('refuses partitions of different lengths', () => {
    expect(() => adjustedRandIndex(['a'], ['a', 'b'])).toThrow(RangeError);
  });
});
