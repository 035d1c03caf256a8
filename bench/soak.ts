import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type * as Y from 'yjs';
import { countLost, countLostStructs, inspectCrashedFiles, stateOf, syncBoard } from './durability.ts';
import { sleep } from './lib/clock.ts';
import { sampleProcess } from './lib/proc.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { LoadGenerator } from './load/generator.ts';
import { DEFAULT_BEHAVIOUR, type Behaviour, type WorkerReport } from './load/protocol.ts';
import { minga } from './servers/minga.ts';
import type { Population, RunningServer } from './servers/types.ts';

/**
 * `npm run bench:soak [-- --minutes 30]`: 200 editors on a workshop's boards for 30 minutes, the
 * server killed with SIGKILL every 5 minutes (and restarted on the same files), exports every minute.
 * Sampled over time: the server's heap (its `process stats` log line), RSS (/proc) and WAL file
 * size; every event-loop stall of 200 ms or more with its cause (the server's `event loop stalled`
 * line: log load, compaction, export, checkpoint…). After each kill: 0 seen updates lost,
 * `integrity_check` ok, every board's log replays. Not part of `npm test`.
 */
const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    editors: { type: 'string', default: '200' },
    boards: { type: 'string', default: '4' },
    'crash-every-minutes': { type: 'string', default: '5' },
    'sample-every-sec': { type: 'string', default: '10' },
    'export-every-sec': { type: 'string', default: '60' },
    workers: { type: 'string', default: '4' },
    seed: { type: 'string', default: '20220' },
    out: { type: 'string', default: join(import.meta.dirname, 'results/soak.json') }
  }
});

/** A long workshop's pace: fewer ideas than the latency bench, so a board stays a workshop's size. */
const SOAK_BEHAVIOUR: Behaviour = { ...DEFAULT_BEHAVIOUR, ideaEverySec: 30 };
/** The server's own figures: heap, loop delay (a `process stats` line this often). */
const STATS_EVERY_SEC = 5;
const STALL_MS = 200;

interface Sample {
  atSec: number;
  rssMb: number | null;
  heapUsedMb: number | null;
  walMb: number;
  loopP99Ms: number | null;
  loopMaxMs: number | null;
  rooms: number | null;
}
interface Stall {
  atSec: number;
  lagMs: number;
  cause: string;
  ops: object[];
}
interface CrashRound {
  atSec: number;
  seenWrites: number;
  lostUpdates: number;
  seenStructs: number;
  lostStructs: number;
  integrity: string;
  replayErrors: number;
  logRows: number;
  recoveryMs: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const minutes = Number(args.minutes);
const durationMs = minutes * 60_000;
const crashEveryMs = Number(args['crash-every-minutes']) * 60_000;
const boards = Number(args.boards);
const editors = Number(args.editors);
const startedAt = new Date().toISOString();
const code = codeVersion();
const dir = mkdtempSync(join(tmpdir(), 'minga-soak-'));
const wal = join(dir, 'minga.db-wal');
const env = { LOG_LEVEL: 'info', STATS_LOG_EVERY_SECONDS: String(STATS_EVERY_SEC), LOOP_STALL_WARN_MS: String(STALL_MS) };

const samples: Sample[] = [];
const stalls: Stall[] = [];
const crashes: CrashRound[] = [];
const exports: { atSec: number; format: string; ms: number; status: number }[] = [];
let latestStats: Record<string, number> | null = null;
const t0 = performance.now();
const atSec = () => Math.round((performance.now() - t0) / 100) / 10;

/** Reads the server's JSON log lines: its figures and its stalls. */
function listen(server: RunningServer): void {
  server.onLine!((line) => {
    if (!line.startsWith('{')) return;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (entry.msg === 'process stats') latestStats = entry as Record<string, number>;
    else if (entry.msg === 'event loop stalled') {
      const stall = { atSec: atSec(), lagMs: Number(entry.lagMs), cause: String(entry.cause), ops: (entry.ops as object[]) ?? [] };
      stalls.push(stall);
      log(`  stall ${stall.lagMs} ms at ${stall.atSec} s: ${stall.cause}`);
    }
  });
}

async function start(port?: string): Promise<RunningServer> {
  const server = await minga.start({ dir, env: { ...env, ...(port ? { PORT: port } : {}) } });
  listen(server);
  return server;
}

function sample(server: RunningServer): void {
  const proc = sampleProcess(server.pid);
  const s = latestStats;
  samples.push({
    atSec: atSec(),
    rssMb: proc ? Math.round(proc.rssMb * 10) / 10 : null,
    heapUsedMb: s?.heapUsedMb ?? null,
    walMb: existsSync(wal) ? Math.round((statSync(wal).size / 1_048_576) * 10) / 10 : 0,
    loopP99Ms: s?.loopP99Ms ?? null,
    loopMaxMs: s?.loopMaxMs ?? null,
    rooms: s?.rooms ?? null
  });
  latestStats = null;
}

async function exportOne(server: RunningServer, population: Population & { facilitatorToken?: string }, n: number): Promise<void> {
  const board = population.boards[n % population.boards.length]!;
  const format = n % 2 === 0 ? 'docx' : 'json';
  const started = performance.now();
  try {
    const res = await fetch(`${server.httpUrl}/api/boards/${board.boardId}/export.${format}`, { headers: { authorization: `Bearer ${population.facilitatorToken}` } });
    await res.arrayBuffer();
    exports.push({ atSec: atSec(), format, ms: Math.round(performance.now() - started), status: res.status });
    if (res.status !== 200) log(`  export ${format} answered ${res.status}`);
  } catch {
    // Cut by a kill -9.
    exports.push({ atSec: atSec(), format, ms: Math.round(performance.now() - started), status: 0 });
  }
}

async function syncAll(population: Population): Promise<Y.Doc[]> {
  return Promise.all(population.boards.map((_, i) => syncBoard(population, i)));
}

function crashRoundOf(reports: WorkerReport[], docs: Y.Doc[], crashed: ReturnType<typeof inspectCrashedFiles>, recoveryMs: number): CrashRound {
  const { seen, lost } = countLost(reports, docs);
  const structs = countLostStructs(reports, stateOf(docs));
  const replayedLost = countLostStructs(reports, stateOf([...crashed.boards.values()])).lost;
  return {
    atSec: atSec(),
    seenWrites: seen,
    lostUpdates: lost,
    seenStructs: structs.seen,
    lostStructs: structs.lost + replayedLost,
    integrity: crashed.integrity,
    replayErrors: crashed.replayErrors,
    logRows: crashed.rows,
    recoveryMs: Math.round(recoveryMs)
  };
}

log(`Minga ${code.commit}${code.serverDirty ? ' (server/ has uncommitted changes)' : ''}: soak, ${minutes} min, ${editors} editors on ${boards} boards, kill -9 every ${args['crash-every-minutes']} min`);
let server = await start();
const port = new URL(server.httpUrl).port;
const population = (await server.populate({ boards, editorsPerBoard: Math.round(editors / boards), seed: Number(args.seed) })) as Population & { facilitatorToken?: string };
const boardIds = population.boards.map((b) => b.boardId);
const generator = await LoadGenerator.launch(population, { workers: Number(args.workers), behaviour: SOAK_BEHAVIOUR, seed: Number(args.seed), trackSeen: true });
try {
  generator.start();
  let nextSample = 0;
  // Half an interval off the kills, so that an export is rarely cut by one.
  let nextExport = Number(args['export-every-sec']) * 500;
  let nextCrash = crashEveryMs;
  let exportsMade = 0;
  let round = 0;
  while (performance.now() - t0 < durationMs) {
    const elapsed = performance.now() - t0;
    if (elapsed >= nextSample) {
      sample(server);
      nextSample += Number(args['sample-every-sec']) * 1000;
    }
    if (elapsed >= nextExport) {
      void exportOne(server, population, exportsMade++);
      nextExport += Number(args['export-every-sec']) * 1000;
    }
    if (elapsed >= nextCrash && durationMs - elapsed > 30_000) {
      nextCrash += crashEveryMs;
      round++;
      await server.kill9();
      const killedAt = performance.now();
      const reports = await generator.halt();
      const crashed = inspectCrashedFiles(dir, boardIds);
      server = await start(port);
      const docs = await syncAll(population);
      const r = crashRoundOf(reports, docs, crashed, performance.now() - killedAt);
      for (const d of [...docs, ...crashed.boards.values()]) d.destroy();
      crashes.push(r);
      log(
        `  kill -9 #${round} at ${r.atSec} s: ${r.seenWrites} writes seen, ${r.lostUpdates} lost, ${r.seenStructs} structs seen, ${r.lostStructs} lost, ` +
          `integrity ${r.integrity}, ${r.logRows} rows replayed with ${r.replayErrors} errors, serving again after ${r.recoveryMs} ms`
      );
      await generator.reset(Number(args.seed) + round * 1000);
      generator.start();
    }
    await sleep(250);
  }
  sample(server);
} finally {
  await generator.halt().catch(() => []);
  await generator.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const series = (pick: (s: Sample) => number | null) => samples.map(pick).filter((v): v is number => v !== null);
const figure = (values: number[]) => (values.length === 0 ? null : { first: values[0]!, last: values.at(-1)!, max: Math.max(...values) });
const byCause: Record<string, { count: number; maxLagMs: number }> = {};
for (const s of stalls) {
  const c = (byCause[s.cause] ??= { count: 0, maxLagMs: 0 });
  c.count++;
  c.maxLagMs = Math.max(c.maxLagMs, s.lagMs);
}
const durationSec = Math.round((performance.now() - t0) / 1000);
const soak = {
  minutes,
  editors,
  boards,
  crashEveryMinutes: Number(args['crash-every-minutes']),
  heapUsedMb: figure(series((s) => s.heapUsedMb)),
  rssMb: figure(series((s) => s.rssMb)),
  walMb: figure(series((s) => s.walMb)),
  loopP99MsMax: Math.max(0, ...series((s) => s.loopP99Ms)),
  stallsOver200Ms: stalls.length,
  stallsByCause: byCause,
  crashRounds: crashes.length,
  lostUpdates: crashes.reduce((a, r) => a + r.lostUpdates + r.lostStructs, 0),
  replayErrors: crashes.reduce((a, r) => a + r.replayErrors, 0),
  integrityFailures: crashes.filter((r) => r.integrity !== 'ok').length,
  exports: {
    count: exports.length,
    failed: exports.filter((e) => e.status !== 200 && e.status !== 0).length,
    cutByKill: exports.filter((e) => e.status === 0).length,
    maxMs: Math.max(0, ...exports.filter((e) => e.status === 200).map((e) => e.ms))
  },
  crashes,
  stalls,
  samples
};
const f = (x: { first: number; last: number; max: number } | null, unit: string) => (x ? `${x.first} → ${x.last} ${unit} (max ${x.max})` : 'n/a');
log('');
log(`Soak ${minutes} min, ${editors} editors on ${boards} boards, ${crashes.length} kill -9 rounds:`);
log(`  heap used ${f(soak.heapUsedMb, 'MB')}; RSS ${f(soak.rssMb, 'MB')}; WAL ${f(soak.walMb, 'MB')}; loop delay p99 ≤ ${soak.loopP99MsMax} ms per ${STATS_EVERY_SEC} s`);
log(
  `  stalls ≥ ${STALL_MS} ms: ${stalls.length}${stalls.length ? ` (${Object.entries(byCause).map(([c, v]) => `${c} ×${v.count}, max ${v.maxLagMs} ms`).join('; ')})` : ''}`
);
log(
  `  crash rounds: ${soak.lostUpdates} seen updates lost of ${crashes.reduce((a, r) => a + r.seenWrites, 0)} marked and ${crashes.reduce((a, r) => a + r.seenStructs, 0)} structs; ` +
    `integrity_check ok ${crashes.length - soak.integrityFailures}/${crashes.length}; replay errors ${soak.replayErrors}`
);
log(`  exports: ${exports.length} (${soak.exports.failed} failed, ${soak.exports.cutByKill} cut by a kill), slowest ${soak.exports.maxMs} ms`);
log(`took ${durationSec} s`);
const out = resolve(args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ plan: 'soak', startedAt, durationSec, machine: machineInfo(), code, soak }, null, 2) + '\n');
log(`results: ${out}`);
process.exit(soak.lostUpdates + soak.replayErrors + soak.integrityFailures === 0 ? 0 : 1);
