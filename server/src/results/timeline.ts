import type { TimelinePoint } from '../schemas/results.ts';

/** Interval lengths the charts use, in minutes: the shortest that gives at most MAX_POINTS. */
const INTERVALS = [1, 2, 5, 10, 15, 30, 60, 120, 240, 720, 1440, 10080];
export const MAX_POINTS = 24;

/**
 * Ideas created and dots given per interval, from the first to the last event. Times of 0 (an
 * idea stored before times were checked) are left out.
 */
export function timeline(ideaTimes: number[], dotTimes: number[]): { intervalMinutes: number; points: TimelinePoint[] } {
  const known = [...ideaTimes, ...dotTimes].filter((t) => t > 0);
  if (known.length === 0) return { intervalMinutes: INTERVALS[0]!, points: [] };
  let first = Infinity;
  let last = -Infinity;
  for (const t of known) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const span = last - first;
  const intervalMinutes = INTERVALS.find((m) => span / (m * 60_000) < MAX_POINTS) ?? INTERVALS[INTERVALS.length - 1]!;
  const size = intervalMinutes * 60_000;
  const start = Math.floor(first / size) * size;
  const count = Math.floor((last - start) / size) + 1;
  const points: TimelinePoint[] = Array.from({ length: count }, (_, i) => ({ at: start + i * size, ideas: 0, dots: 0 }));
  for (const t of ideaTimes) if (t > 0) points[Math.floor((t - start) / size)]!.ideas++;
  for (const t of dotTimes) if (t > 0) points[Math.floor((t - start) / size)]!.dots++;
  return { intervalMinutes, points };
}
