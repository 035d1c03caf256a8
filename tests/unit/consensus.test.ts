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

  it('draws the divisive line exactly at the documented thresholds (0.6 strong, 0.25 weak, 2 voters)', () => {
    const people = (sector: string, n: number) => Array.from({ length: n }, (_, i) => `${sector}${i + 1}`);
    const [a, b, c, d] = [people('a', 3), people('b', 2), people('c', 6), people('d', 5)];
    const ballots = [
      // Everyone votes somewhere, so n_a = 3, n_b = 2, n_c = 6, n_d = 5.
      ...[...a, ...b, ...c, ...d].map((p) => ballot(p, p[0]!, 'ELSEWHERE')),
      // T: 2 of 3 in a (3/5 = 0.6, strong) and 0 of 2 in b (1/4 = 0.25, weak): divisive.
      ballot(a[0]!, 'a', 'T'),
      ballot(a[1]!, 'a', 'T'),
      // U: 1 of 3 in a (2/5 = 0.4): not strong anywhere, not divisive.
      ballot(a[0]!, 'a', 'U'),
      // V: 2 of 3 in a, and 1 of 2 in b (2/4), 1 of 6 in c (2/8 = 0.25: weak): divisive through c.
      ...[a[0]!, a[1]!].map((p) => ballot(p, 'a', 'V')),
      ballot(b[0]!, 'b', 'V'),
      ballot(c[0]!, 'c', 'V'),
      ...d.slice(0, 2).map((p) => ballot(p, 'd', 'V'))
    ];
    const s = crossSectorSupport(ballots);
    expect(s.get('T')!.supportBySector.a!.share).toBe(0.6);
    expect(s.get('T')!.supportBySector.b!.share).toBe(0.25);
    expect(s.get('T')!.divisive).toBe(true);
    expect(s.get('U')!.supportBySector.a!.share).toBeCloseTo(0.4, 12);
    expect(s.get('U')!.divisive).toBe(false);
    expect(s.get('V')!.supportBySector.c!.share).toBe(0.25);
    expect(s.get('V')!.divisive).toBe(true);
    // 1 of 5 (2/7 ≈ 0.29) is above the weak line; 0 of 5 (1/7) is below it.
    const two = crossSectorSupport([
      ...[...a, ...d].map((p) => ballot(p, p[0]!, 'ELSEWHERE')),
      ...[a[0]!, a[1]!].map((p) => ballot(p, 'a', 'X')),
      ballot(d[0]!, 'd', 'X'),
      ...[a[0]!, a[1]!].map((p) => ballot(p, 'a', 'Y'))
    ]);
    expect(two.get('X')!.supportBySector.d).toEqual({ voters: 5, supporters: 1, share: 2 / 7 });
    expect(two.get('X')!.divisive).toBe(false);
    expect(two.get('Y')!.divisive).toBe(true);
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
