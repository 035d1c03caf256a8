/**
 * Cross-sector support ("Apoyo transversal"): how much every sector present on a board backs an
 * idea or a group, so that a target many sectors support a little can outrank one that a single
 * large sector piles its dots on. After Pol.is' group-informed consensus (Small et al., "Polis:
 * Scaling Deliberation by Mapping High Dimensional Opinion Spaces", 2021): the product, over the
 * groups, of each group's smoothed share of agreement. Minga's groups are the sectors people
 * declare when they join, so nothing is inferred. See docs/consensus.md.
 *
 * Shared by the server (which computes it for every client and for exports) and the web app.
 */

/** One person's dots on one target. */
export interface Ballot {
  voterId: string;
  /** The voter's declared sector id ('' when unknown: counted as its own sector). */
  sector: string;
  targetId: string;
  dots: number;
}

export interface SectorSupport {
  /** People of this sector who put at least one dot anywhere on the board (n_s). */
  voters: number;
  /** Those of them who put at least one dot on this target (v_s). */
  supporters: number;
  /** (v_s + 1) / (n_s + 2): a Laplace-smoothed share, so one voter is not a verdict. */
  share: number;
}

export interface TargetSupport {
  /** Product of `share` over every sector with voters: 0–1, higher is broader support. */
  consensus: number;
  supportBySector: Record<string, SectorSupport>;
  /** Strong in one sector and near zero in another (see DIVISIVE_*). */
  divisive: boolean;
  /** Dots in all (the plain ranking). */
  dots: number;
}

/**
 * Divisive: some sector with at least DIVISIVE_MIN_VOTERS voters gives it a share of at least
 * DIVISIVE_STRONG_SHARE, and another such sector at most DIVISIVE_WEAK_SHARE. With the smoothing,
 * 0.25 is "nobody of two or more voters", 0.6 is "at least two of three" (or 1 of 1 is not enough:
 * one person never makes a sector's opinion).
 */
export const DIVISIVE_MIN_VOTERS = 2;
export const DIVISIVE_STRONG_SHARE = 0.6;
export const DIVISIVE_WEAK_SHARE = 0.25;

export const smoothedShare = (supporters: number, voters: number) => (supporters + 1) / (voters + 2);

/**
 * Support of every target that has a ballot, plus `targets` (ids with no dots yet, so they get a
 * score too). Sectors with no voter on the board do not count: a product over absent sectors
 * would only shrink every score by the same factor.
 */
export function crossSectorSupport(ballots: Iterable<Ballot>, targets: Iterable<string> = []): Map<string, TargetSupport> {
  const votersBySector = new Map<string, Set<string>>();
  const supporters = new Map<string, Map<string, Set<string>>>();
  const dots = new Map<string, number>();
  for (const b of ballots) {
    if (!(b.dots > 0)) continue;
    let voters = votersBySector.get(b.sector);
    if (!voters) votersBySector.set(b.sector, (voters = new Set()));
    voters.add(b.voterId);
    let bySector = supporters.get(b.targetId);
    if (!bySector) supporters.set(b.targetId, (bySector = new Map()));
    let who = bySector.get(b.sector);
    if (!who) bySector.set(b.sector, (who = new Set()));
    who.add(b.voterId);
    dots.set(b.targetId, (dots.get(b.targetId) ?? 0) + b.dots);
  }
  const all = new Set([...supporters.keys(), ...targets]);
  const result = new Map<string, TargetSupport>();
  for (const target of all) {
    const supportBySector: Record<string, SectorSupport> = {};
    let consensus = 1;
    let strong = false;
    let weak = false;
    for (const [sector, voters] of votersBySector) {
      const n = voters.size;
      const v = supporters.get(target)?.get(sector)?.size ?? 0;
      const share = smoothedShare(v, n);
      supportBySector[sector] = { voters: n, supporters: v, share };
      consensus *= share;
      if (n >= DIVISIVE_MIN_VOTERS && share >= DIVISIVE_STRONG_SHARE) strong = true;
      if (n >= DIVISIVE_MIN_VOTERS && share <= DIVISIVE_WEAK_SHARE) weak = true;
    }
    // With nobody voting yet there is no evidence either way.
    if (votersBySector.size === 0) consensus = 0;
    result.set(target, { consensus, supportBySector, divisive: strong && weak, dots: dots.get(target) ?? 0 });
  }
  return result;
}

/** Highest consensus first; ties by dots, then by id so the order is stable. */
export const byConsensus = (a: [string, TargetSupport], b: [string, TargetSupport]) =>
  b[1].consensus - a[1].consensus || b[1].dots - a[1].dots || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
