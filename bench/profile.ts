import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './servers/process.ts';

/** Summary of a V8 `.cpuprofile` (from `node --cpu-prof`): where the process spent its time. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  /** `function (file:line)`, file relative to the repo. */
  frame: string;
  selfMs: number;
  /** Share of busy time (samples that were not idle). */
  selfPct: number;
  /** Time in this function and everything it called (each sample counted once per function), share of busy time. */
  totalPct: number;
}

const IDLE = '(idle)';

const frameName = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url ? relative(ROOT, url.replace(/^file:\/\//, '')) : '';
  return `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
};

/** Top functions by self time, with their inclusive share of the busy (non-idle) time; GC is listed like a function. */
export function summarizeProfile(path: string, top = 20): { totalMs: number; busyMs: number; entries: ProfileEntry[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const node = byId.get(id)!;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + ms);
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = frameName(byId.get(at)!);
      if (counted.has(n)) continue;
      counted.add(n);
      total.set(n, (total.get(n) ?? 0) + ms);
    }
  });
  const busyMs = totalMs - (self.get(IDLE) ?? 0);
  const entries = [...self.entries()]
    .filter(([frame]) => frame !== IDLE)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, ms]) => ({ frame, selfMs: ms, selfPct: (100 * ms) / busyMs, totalPct: (100 * (total.get(frame) ?? 0)) / busyMs }));
  return { totalMs, busyMs, entries };
}

/** Inclusive share of the functions whose frame matches (e.g. the room's commit path). */
export function inclusiveShare(path: string, match: RegExp): { frame: string; totalPct: number }[] {
  const { entries } = summarizeProfile(path, Number.MAX_SAFE_INTEGER);
  return entries.filter((e) => match.test(e.frame)).sort((a, b) => b.totalPct - a.totalPct);
}
