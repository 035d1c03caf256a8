import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on Linux x86 and arm). */
const CLK_TCK = 100;

export interface ProcSample {
  /** When the sample was read, ms since the epoch of `performance.now()`. */
  at: number;
  /** user + system CPU time of the process, seconds. */
  cpuSeconds: number;
  rssMb: number;
}

/** Reads CPU time and resident memory of another process from /proc (Linux). */
export function sampleProcess(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { at: performance.now(), cpuSeconds: (utime + stime) / CLK_TCK, rssMb: rssKb / 1024 };
  } catch {
    return null; // the process is gone
  }
}

/** CPU used between two samples, in cores (1 = one core fully busy). */
export function coresBetween(a: ProcSample, b: ProcSample): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? (b.cpuSeconds - a.cpuSeconds) / wall : 0;
}

/**
 * Samples a process every `everyMs` and keeps the peak RSS; `between()` gives CPU cores over the
 * window marked by `mark()` calls.
 */
export class ProcessMonitor {
  private timer: NodeJS.Timeout;
  peakRssMb = 0;
  readonly marks: ProcSample[] = [];

  constructor(
    readonly pid: number,
    everyMs = 250
  ) {
    this.timer = setInterval(() => this.poll(), everyMs);
    this.poll();
  }

  private poll(): ProcSample | null {
    const s = sampleProcess(this.pid);
    if (s && s.rssMb > this.peakRssMb) this.peakRssMb = s.rssMb;
    return s;
  }

  /** Records a sample now (e.g. at the start and the end of the measured window). */
  mark(): ProcSample | null {
    const s = this.poll();
    if (s) this.marks.push(s);
    return s;
  }

  /** Resets the peak so it covers only what follows. */
  resetPeak(): void {
    this.peakRssMb = 0;
    this.poll();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface MachineSample {
  at: number;
  /** Busy CPU time of the whole machine (all cores, user + system + irq …), seconds. */
  busySeconds: number;
}

/** Machine-wide busy time from /proc/stat: what every process, ours or not, used. */
export function sampleMachine(): MachineSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [, ...values] = line.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { at: performance.now(), busySeconds: busy / CLK_TCK };
}

export function machineCoresBetween(a: MachineSample, b: MachineSample): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? (b.busySeconds - a.busySeconds) / wall : 0;
}
