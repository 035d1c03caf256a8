import { KNEE_P99_MS } from './scenarios.ts';

/**
 * The knee: the most editors on one board at p99 ≤ 100 ms. Given the one-board results measured
 * so far (editors → p99), says which grid size to measure next, or null when the knee is pinned
 * between two neighbouring grid sizes.
 */
export function nextKneeProbe(measured: Map<number, number>, grid: number[]): number | null {
  const { pass, fail } = bracket(measured);
  const between = grid.filter((n) => n > pass && n < fail && !measured.has(n));
  if (between.length === 0) return null;
  // Nothing measured yet: start at the goal's size.
  if (measured.size === 0) return between.find((n) => n >= START_AT) ?? between[0]!;
  // Nothing failed yet: jump ahead by about half again; once bracketed, bisect.
  if (fail === Infinity) return between.find((n) => n >= pass * CLIMB) ?? between[between.length - 1]!;
  return between[Math.floor((between.length - 1) / 2)]!;
}

const CLIMB = 1.5;
/** Issue 5's goal: 500 editors on one board. */
const START_AT = 500;

export interface Knee {
  editors: number;
  /** True when no size failed: the knee is at least `editors`. */
  lowerBound: boolean;
}

/** Largest passing size below the smallest failing one (noise above a failure is not trusted). */
export function kneeOf(measured: Map<number, number>): Knee {
  const { pass, fail } = bracket(measured);
  return { editors: pass, lowerBound: fail === Infinity };
}

function bracket(measured: Map<number, number>): { pass: number; fail: number } {
  const sizes = [...measured.keys()].sort((a, b) => a - b);
  const fail = sizes.find((n) => measured.get(n)! > KNEE_P99_MS) ?? Infinity;
  const pass = Math.max(0, ...sizes.filter((n) => n < fail && measured.get(n)! <= KNEE_P99_MS));
  return { pass, fail };
}
