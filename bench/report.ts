import type { BoardSizeResult } from './board-size.ts';
import type { DurabilityResult } from './durability.ts';
import type { RunResult } from './measure.ts';
import type { ProfileEntry } from './profile.ts';
import type { CommandsResult } from './session-commands.ts';
import { KNEE_P99_MS } from './scenarios.ts';
import { isMingaVariant, MINGA_VARIANTS, SERVER_NAMES, type ServerName, type TargetName } from './servers/types.ts';

/** The comparison table on stdout and the JSON file other tools read. */

export interface BenchResults {
  plan: 'quick' | 'full';
  startedAt: string;
  durationSec: number;
  machine: { cpus: number; node: string };
  code: { commit: string; serverDirty: boolean };
  runs: RunResult[];
  knee: Partial<Record<TargetName, number>>;
  /** Servers whose largest measured size still passed: their knee is at least the figure given. */
  kneeLowerBound: TargetName[];
  /** Every one-board size measured per server, for the knee: [editors, p99]. */
  kneeProbes: Partial<Record<TargetName, [number, number][]>>;
  /** Per server: 'ok', or how the bench client and the real provider failed to see each other. */
  protocolCheck: Partial<Record<ServerName, string>>;
  durability: DurabilityResult[];
  boardSize: BoardSizeResult[];
  /** The control plane under a workshop of 8 boards (issue 3's command round trip). */
  commands?: CommandsResult;
  /** CPU profiles of Minga (and of the variants asked for by name), one run each. */
  profiles?: { server: string; scenario: string; totalMs: number; busyMs: number; top: ProfileEntry[] }[];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
/** Other processes using more than this share of the machine during a window make it noisy. */
export const NOISY_OTHER_CORES = 0.3;
/** A generator whose event loop lags more than this adds visibly to the latency it reports. */
const GENERATOR_LAG_MS = 20;

export function runJson(r: RunResult) {
  const L = r.load.latency;
  return {
    scenario: r.scenario,
    server: (isMingaVariant(r.server) ? 'minga' : r.server) as ServerName,
    ...(isMingaVariant(r.server) ? { variant: MINGA_VARIANTS[r.server] } : {}),
    target: r.server,
    editors: r.editors,
    boards: r.boards,
    cursors: r.cursors,
    presence: r.presence,
    p50: round(L.percentile(0.5)),
    p95: round(L.percentile(0.95)),
    p99: round(L.percentile(0.99)),
    max: round(L.max),
    updatesPerSec: round(r.load.updatesPerSec),
    serverCpu: round(r.serverCpuCores, 2),
    // CPU time is counted whoever else runs: a server's cost per delivery is comparable across
    // windows even when latency is spoilt by a busy machine.
    serverCpuUsPerDelivery: r.load.receiptsPerSec > 0 ? round((r.serverCpuCores * 1e6) / r.load.receiptsPerSec, 2) : null,
    serverRssMb: round(r.serverRssMb),
    delivered: round(r.load.delivered, 5),
    slowestReceiverP99: round(r.load.slowestReceiver?.p99 ?? 0),
    bytesPerClientPerSec: Math.round(r.load.bytesInPerClientPerSec),
    generatorCpu: round(r.load.generatorCpuCores, 2),
    generatorLoopP99Ms: round(r.load.generatorLoopP99Ms),
    otherCpu: round(r.otherCpuCores, 2),
    voteAckP99: r.load.voteAck.count > 0 ? round(r.load.voteAck.percentile(0.99)) : null,
    samples: r.load.latency.count,
    refused: r.load.refused,
    closes: r.load.closes,
    ...(r.error ? { error: r.error.split('\n')[0] } : {})
  };
}

export function toJson(results: BenchResults) {
  const minga = results.durability.find((d) => d.server === 'minga');
  return {
    plan: results.plan,
    startedAt: results.startedAt,
    durationSec: round(results.durationSec),
    machine: results.machine,
    code: results.code,
    protocolCheck: results.protocolCheck,
    runs: results.runs.map(runJson),
    durability: minga
      ? { rounds: minga.rounds.length, lostUpdates: minga.lostUpdates, recoveryMsP50: round(minga.recoveryMsP50, 0), servers: results.durability }
      : null,
    boardSize: results.boardSize.map((b) => ({
      ...b,
      loadMs: round(b.loadMs),
      clientSyncMs: round(b.clientSyncMs),
      rssMb: round(b.rssMb),
      rssDeltaMb: round(b.rssDeltaMb),
      exportMs: b.exportMs
    })),
    knee: Object.fromEntries(Object.entries(results.knee).filter(([s]) => !isMingaVariant(s))),
    kneeVariants: Object.fromEntries(Object.entries(results.knee).filter(([s]) => isMingaVariant(s))),
    kneeLowerBound: results.kneeLowerBound,
    kneeProbes: results.kneeProbes,
    ...(results.commands ? { commands: results.commands } : {}),
    ...(results.profiles ? { profiles: results.profiles } : {})
  };
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const scenarioLabel = (r: { scenario: string; boards: number; editors: number }) =>
  r.boards > 1 ? `${r.scenario} ${r.boards}×${r.editors / r.boards}` : `${r.scenario} ${r.editors}`;

export function formatReport(results: BenchResults): string {
  const out: string[] = [];
  const runs = results.runs.map(runJson);
  out.push('Latency end to end (write on one client → seen by every other), ms; undelivered receipts count as lower bounds.');
  out.push(
    table(
      ['scenario', 'server', '', 'p50', 'p95', 'p99', 'max', 'slowest rcv p99', 'delivered', 'upd/s', 'srv CPU', 'µs/delivery', 'RSS MB', 'KB/s/client', 'gen CPU', 'other CPU'],
      runs.map((r) => [
        scenarioLabel(r),
        r.target,
        r.error ? 'FAILED' : r.otherCpu > NOISY_OTHER_CORES ? 'noisy' : '',
        r.p50,
        r.p95,
        r.p99,
        r.max,
        r.slowestReceiverP99,
        `${round(r.delivered * 100, 2)}%`,
        r.updatesPerSec,
        r.serverCpu,
        r.serverCpuUsPerDelivery ?? '–',
        r.serverRssMb,
        round(r.bytesPerClientPerSec / 1024),
        r.generatorCpu,
        r.otherCpu
      ])
    )
  );
  out.push('');
  out.push('p99 by server, and Minga ÷ baseline (below 1: Minga is faster).');
  const groups = new Map<string, typeof runs>();
  for (const r of runs) {
    const key = scenarioLabel(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const baselines: TargetName[] = [...variantsIn(runs), ...SERVER_NAMES.filter((s) => s !== 'minga')];
  const compare: (string | number)[][] = [];
  for (const [label, group] of groups) {
    const by = new Map(group.map((r) => [r.target, r]));
    const m = by.get('minga');
    if (!m || group.length < 2) continue;
    compare.push([
      label,
      '',
      '',
      m.p99,
      ...baselines.flatMap((b) => {
        const r = by.get(b);
        return r ? [r.p99, r.p99 > 0 ? `${round(m.p99 / r.p99, 2)}×` : '–'] : ['–', '–'];
      })
    ]);
  }
  out.push(table(['scenario', '', '', 'minga', ...baselines.flatMap((b) => [b, 'ratio'])], compare));
  out.push('');
  for (const v of variantsIn(runs)) out.push(beforeAfter(runs, v), '');
  if (Object.keys(results.knee).length > 0) {
    const probes = Object.entries(results.kneeProbes)
      .map(([s, list]) => `${s}: ${list!.map(([n, p]) => `${n}→${round(p, 0)}`).join(', ')}`)
      .join('; ');
    const kneeText = Object.entries(results.knee).map(([s, n]) => `${s} ${results.kneeLowerBound.includes(s as ServerName) ? '≥ ' : ''}${n}`);
    out.push(`Knee (most editors on one board at p99 ≤ ${KNEE_P99_MS} ms): ${kneeText.join(', ')}`);
    out.push(`  measured (editors→p99 ms): ${probes}`);
  }
  for (const d of results.durability) out.push(durabilityLine(d));
  const c = results.commands;
  if (c) {
    out.push(
      `Control plane (${c.boards} boards × ${c.listenersPerBoard} participants, ${c.commands} commands): session:command ack p50 ${c.ackP50} / p99 ${c.ackP99} ms, ` +
        `state at the board's last participant p50 ${c.broadcastP50} / p99 ${c.broadcastP99} ms; baseline board:join ack p50 ${c.baselineJoinAckP50} / p99 ${c.baselineJoinAckP99} ms; ` +
        `after kill -9 the running and paused timers ${c.stateKeptAfterKill ? 'are kept' : 'are NOT kept'} (serving again after ${c.recoveryMs} ms)`
    );
  }
  if (results.boardSize.length > 0) {
    out.push('');
    out.push('Board size (Minga; every idea posted, edited and moved: 3 updates per idea in the log)');
    out.push(
      table(
        ['ideas', '', '', 'updates', 'load ms', 'client sync ms', 'RSS MB', 'RSS +MB', 'compaction ms', 'snapshot KB', 'snapshot load ms', 'export ms docx/md/csv/json'],
        results.boardSize.map((b) => [
          b.ideas,
          '',
          '',
          b.updates,
          b.loadMs,
          round(b.clientSyncMs),
          round(b.rssMb),
          round(b.rssDeltaMb),
          b.compactionMs ?? '–',
          b.snapshotBytes === null ? '–' : round(b.snapshotBytes / 1024),
          b.snapshotLoadMs ?? '–',
          b.exportMs === null ? '–' : `${b.exportMs.docx}/${b.exportMs.md}/${b.exportMs.csv}/${b.exportMs.json}`
        ])
      )
    );
  }
  for (const p of results.profiles ?? []) {
    out.push('');
    out.push(`${p.server} CPU profile (${p.scenario}; busy ${round(p.busyMs / 1000)} of ${round(p.totalMs / 1000)} s), top functions by self time, % of busy time:`);
    for (const e of p.top.slice(0, 20)) out.push(`  ${round(e.selfPct).toFixed(1).padStart(5)}% self ${round(e.totalPct).toFixed(1).padStart(5)}% total  ${e.frame}`);
  }
  out.push('');
  out.push(verdict(results));
  return out.join('\n');
}

/** The Minga variants (MINGA_VARIANTS) that ran. */
const variantsIn = (runs: ReturnType<typeof runJson>[]): TargetName[] =>
  (Object.keys(MINGA_VARIANTS) as TargetName[]).filter((v) => runs.some((r) => r.target === v));

/**
 * Minga beside one of its variants, scenario by scenario: the median and the tail of both, and
 * server CPU per delivery (which a busy machine does not spoil), each as after ÷ before.
 */
function beforeAfter(runs: ReturnType<typeof runJson>[], variant: TargetName): string {
  const rows: (string | number)[][] = [];
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? `${round(a / b, 2)}×` : '–');
  for (const m of runs) {
    if (m.target !== 'minga' || m.error) continue;
    const v = runs.find((r) => r.target === variant && r.scenario === m.scenario && r.editors === m.editors && !r.error);
    if (!v) continue;
    rows.push([scenarioLabel(m), '', '', v.p50, m.p50, ratio(m.p50, v.p50), v.p99, m.p99, ratio(m.p99, v.p99), v.serverCpuUsPerDelivery ?? '–', m.serverCpuUsPerDelivery ?? '–', ratio(m.serverCpuUsPerDelivery, v.serverCpuUsPerDelivery), v.otherCpu, m.otherCpu]);
  }
  return [
    `Minga against ${variant} (ratio: minga ÷ ${variant}; below 1: faster now; other: CPU of other processes, cores)`,
    table(['scenario', '', '', 'p50 before', 'p50', 'ratio', 'p99 before', 'p99', 'ratio', 'µs/deliv before', 'µs/deliv', 'ratio', 'other before', 'other'], rows)
  ].join('\n');
}

/** The closing note: where Minga stands against each baseline and against its goals. */
export function verdict(results: BenchResults): string {
  const runs = results.runs.map(runJson);
  const find = (scenario: string, target: TargetName, editors: number) =>
    runs.find((r) => r.scenario === scenario && r.target === target && r.editors === editors && !r.error);
  const lines: string[] = ['Where Minga stands'];
  for (const b of [...variantsIn(runs), ...SERVER_NAMES.filter((s) => s !== 'minga')]) {
    const pairs = runs.filter((r) => r.target === 'minga').flatMap((m) => {
      const o = find(m.scenario, b, m.editors);
      return o && o.p99 > 0 ? [`${scenarioLabel(m)}: ${round(m.p99 / o.p99, 2)}×`] : [];
    });
    if (pairs.length > 0) lines.push(`- vs ${b} (Minga p99 ÷ ${b} p99): ${pairs.join(', ')}`);
  }
  const goal = (scenario: string, label: string) => {
    const m = find(scenario, 'minga', 500);
    if (!m) return `- 500 editors on one board, ${label}: not measured in this run`;
    const ok = m.p99 <= KNEE_P99_MS;
    return `- 500 editors on one board, ${label}: p99 ${m.p99} ms → goal (≤ ${KNEE_P99_MS} ms) ${ok ? 'met' : 'MISSED'}`;
  };
  lines.push(goal('one-board', 'cursors off'));
  lines.push(goal('one-board+cursors', 'cursors on at 5 Hz'));
  const km = results.knee.minga;
  const ky = results.knee['y-websocket'];
  if (km !== undefined && ky !== undefined) {
    // Each knee lies between its largest passing size and the next size that failed, so the
    // ratio is a range: the goal is met or missed only when the whole range says so.
    const failOf = (server: TargetName, pass: number) =>
      (results.kneeProbes[server] ?? []).map(([n, p]) => (n > pass && p > KNEE_P99_MS ? n : Infinity)).reduce((a, b) => Math.min(a, b), Infinity);
    const fm = failOf('minga', km);
    const fy = failOf('y-websocket', ky);
    const low = fy === Infinity ? 0 : km / fy;
    const high = ky > 0 ? fm / ky : Infinity;
    const range = (pass: number, fail: number) => (fail === Infinity ? `≥ ${pass}` : `${pass}–${fail}`);
    const text = `- knee: Minga ${range(km, fm)} vs y-websocket ${range(ky, fy)} editors → ${round(km / Math.max(ky, 1), 2)}× on the sizes measured, between ${round(low, 2)}× and ${high === Infinity ? '∞' : `${round(high, 2)}×`} (goal ≥ 1.5×)`;
    if (low >= 1.5) lines.push(`${text}: met`);
    else if (high < 1.5) lines.push(`${text}: MISSED`);
    else lines.push(`${text}: not settled at this resolution (the full plan bisects further)`);
  }
  for (const v of Object.keys(MINGA_VARIANTS) as TargetName[]) {
    const kv = results.knee[v];
    if (km !== undefined && kv !== undefined) lines.push(`- knee: ${v} ${kv}, minga ${km} editors`);
  }
  const lagging = runs.filter((r) => r.generatorLoopP99Ms > GENERATOR_LAG_MS);
  if (lagging.length > 0) {
    lines.push(
      `- the generator lagged (event-loop p99 > ${GENERATOR_LAG_MS} ms) in ${lagging.map((r) => `${r.target} ${scenarioLabel(r)}`).join(', ')}: part of those latencies is the generator's`
    );
  }
  const noisy = runs.filter((r) => r.otherCpu > NOISY_OTHER_CORES);
  if (noisy.length > 0) {
    lines.push(`- ${noisy.length} run(s) marked "noisy": other processes used > ${NOISY_OTHER_CORES} cores during the window; their figures are pessimistic.`);
  }
  return lines.join('\n');
}

/** One line for a durability result: losses, and for Minga the checks of the crashed files. */
export function durabilityLine(d: DurabilityResult): string {
  const sum = (f: (r: DurabilityResult['rounds'][number]) => number) => d.rounds.reduce((a, r) => a + f(r), 0);
  const kinds = (k: string) => d.rounds.filter((r) => r.kind === k);
  const backups = kinds('backup');
  const checked = d.rounds.filter((r) => r.integrity !== undefined);
  return (
    `Durability (${d.server}, ${d.editors} editors, kill -9 × ${d.rounds.length}` +
    (checked.length > 0 ? `: ${kinds('compaction').length} during a compaction, ${backups.length} during a backup (${backups.filter((r) => r.backup?.interrupted).length} interrupted it)` : '') +
    `): ${d.lostUpdates} seen updates lost of ${sum((r) => r.seenWrites)} marked, ${d.lostStructs} of ${sum((r) => r.seenStructs)} seen structs` +
    (checked.length > 0 ? `; integrity_check ok after ${checked.length - d.integrityFailures} of ${checked.length} kills, log replay errors ${d.replayErrors} (${sum((r) => r.logRows ?? 0)} rows replayed)` : '') +
    `; ${sum((r) => r.refused)} refused; serving again after ${round(d.recoveryMsP50, 0)} ms (p50)`
  );
}
