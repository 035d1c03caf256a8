import { describe, expect, it } from 'vitest';
import { byConsensus, crossSectorSupport, type Ballot } from '../../contract/consensus.ts';

const ballot = (voterId: string, sector: string, targetId: string, dots = 1): Ballot => ({ voterId, sector, targetId, dots });

describe('cross-sector support', () => {
  // Comunidad: 4 voters, universidad: 1, mipyme: 2 (everyone below voted somewhere).
  const ballots = [
    ...['c1', 'c2', 'c3', 'c4'].map((c) => ballot(c, 'comunidad', 'X', 5)),
    ballot('c1', 'comunidad', 'Y'),
    ballot('u1', 'universidad', 'Y'),
    ballot('m1', 'mipyme', 'Y'),
    ballot('m2', 'mipyme', 'W', 2)
  ];
  const support = crossSectorSupport(ballots, ['Z']);

  it('computes the smoothed share per sector and their product, by hand', () => {
    const x = support.get('X')!;
    expect(x.supportBySector).toEqual({
      comunidad: { voters: 4, supporters: 4, share: 5 / 6 },
      universidad: { voters: 1, supporters: 0, share: 1 / 3 },
      mipyme: { voters: 2, supporters: 0, share: 1 / 4 }
    });
    expect(x.consensus).toBeCloseTo((5 / 6) * (1 / 3) * (1 / 4), 12);
    expect(x.dots).toBe(20);
    // One voter of universidad who dotted Y: (1 + 1) / (1 + 2), not a full 1.
    expect(support.get('Y')!.supportBySector.universidad).toEqual({ voters: 1, supporters: 1, share: 2 / 3 });
    expect(support.get('Y')!.consensus).toBeCloseTo((2 / 6) * (2 / 3) * (2 / 4), 12);
  });

  it('gives a target nobody dotted the floor of every sector, not zero', () => {
    expect(support.get('Z')!.consensus).toBeCloseTo((1 / 6) * (1 / 3) * (1 / 4), 12);
    expect(support.get('Z')!.dots).toBe(0);
  });

  it('ranks three dots from three sectors above twenty dots from one', () => {
    const ranked = [...support].sort(byConsensus).map(([id]) => id);
    expect(ranked.indexOf('Y')).toBeLessThan(ranked.indexOf('X'));
    expect(ranked[0]).toBe('Y');
  });

  it('flags as divisive what one sector backs and another (of two or more voters) does not', () => {
    expect(support.get('X')!.divisive).toBe(true); // comunidad 5/6, mipyme 1/4
    expect(support.get('Y')!.divisive).toBe(false);
    // One voter of a sector never makes it "strong" or "weak": universidad alone is not evidence.
    const solo = crossSectorSupport([ballot('u1', 'universidad', 'A'), ballot('c1', 'comunidad', 'B'), ballot('c2', 'comunidad', 'B')]);
    expect(solo.get('A')!.divisive).toBe(false); // universidad n=1; comunidad n=2, share 1/4 — weak, but no strong sector
    expect(solo.get('B')!.divisive).toBe(false); // comunidad 3/4 strong; universidad n=1 cannot be weak
  });

  it('breaks ties by dots, then by id', () => {
    const tied = crossSectorSupport([ballot('a', 's', 'T1', 1), ballot('b', 's', 'T2', 3), ballot('c', 's', 'T3', 1)]);
    // One sector of 3 voters, each target has one supporter: equal consensus 2/5.
    expect([...tied].map(([, t]) => t.consensus)).toEqual([2 / 5, 2 / 5, 2 / 5]);
    expect([...tied].sort(byConsensus).map(([id]) => id)).toEqual(['T2', 'T1', 'T3']);
  });

  it('scores nothing before anyone votes, and ignores empty ballots', () => {
    const none = crossSectorSupport([ballot('a', 's', 'T', 0)], ['T']);
    expect(none.get('T')).toEqual({ consensus: 0, supportBySector: {}, divisive: false, dots: 0 });
  });
});
