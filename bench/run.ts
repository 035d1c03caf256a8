import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { boardSize } from './board-size.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { durability } from './durability.ts';
import { sessionCommands } from './session-commands.ts';
import { kneeOf, nextKneeProbe } from './knee.ts';
import { checkProtocol } from './load/protocol-check.ts';
import { measure, type MeasureOptions, type RunResult, type Scenario } from './measure.ts';
import { summarizeProfile } from './profile.ts';
import { formatReport, NOISY_OTHER_CORES, toJson, type BenchResults } from './report.ts';
import { KNEE_P99_MS, oneBoard, plan as makePlan, wirePlan } from './scenarios.ts';
import { isMingaVariant, MINGA_BEFORE, MINGA_BEFORE_DIR_ENV, MINGA_FIXED_PAUSE, MINGA_UNBATCHED, SERVER_NAMES, TARGET_NAMES, type TargetName } from './servers/types.ts';
import { formatWire, wireSummary } from './wire-report.ts';

/**
 * `npm run bench [-- --quick] [--out FILE]`: Minga against the classic y-websocket server,
 * Hocuspocus and a bare relay, same generator, same machine, same run. See bench/README.md.
 */

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    servers: { type: 'string' },
    only: { type: 'string' },
    workers: { type: 'string', default: '4' },
    seed: { type: 'string', default: '20220' },
    'server-nice': { type: 'string', default: '-10' },
    'generator-nice': { type: 'string', default: '-5' },
    profile: { type: 'boolean', default: false },
    'profile-editors': { type: 'string', default: '500' },
    'wire-sizes': { type: 'string' },
    baseline: { type: 'string' },
    help: { type: 'boolean', default: false }
  }
});

if (args.help) {
  process.stdout.write(`npm run bench -- [options]
  --quick            shorter plan (< 5 min): 100 and 500 editors on one board for all servers, the knee
                     of minga and y-websocket, 3 durability rounds, the 1,000-idea board
  --out FILE         JSON results (default bench/results/latest.json; with --only wire, bench/results/wire.json)
  --servers a,b      only these servers (${TARGET_NAMES.join(', ')}); ${MINGA_UNBATCHED} is
                     Minga with its per-tick batching off, ${MINGA_FIXED_PAUSE} Minga with its wire of
                     before issue 10 (before/after in the same run)
  --only parts       only these parts: check,matrix,knee,durability,board-size,commands, or wire
                     (issue 10: 10…1,000 editors and KB/s per client with the app's presence and
                     with cursors, for minga, ${MINGA_FIXED_PAUSE} and y-websocket; ~25 min)
  --wire-sizes a,b   with --only wire: only these sizes (e.g. to measure noisy ones again)
  --baseline DIR     the checkout ${MINGA_BEFORE} runs (an earlier commit, e.g. git archive, with its
                     node_modules): with --servers minga,${MINGA_BEFORE}, before/after of a whole change
  --workers N        load generator processes (default 4)
  --seed N           random seed (default 20220)
  --server-nice N    scheduling priority of the server under test (default -10; 0 to leave it)
  --generator-nice N priority of the generator's workers (default -5): both run ahead of unrelated
                     work on a shared machine, and the server ahead of its generator
  --profile          also profile Minga (--cpu-prof) on one board and print the top functions; with
                     --servers minga,${MINGA_BEFORE} both builds, one after the other
  --profile-editors N  editors on that board (default 500)
`);
  process.exit(0);
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();
const plan = makePlan(args.quick);
const servers = new Set<TargetName>(args.servers ? (args.servers.split(',') as TargetName[]) : TARGET_NAMES);
for (const s of servers) if (!TARGET_NAMES.includes(s)) throw new Error(`unknown server ${s}; one of ${TARGET_NAMES.join(', ')}`);
if (args.baseline) process.env[MINGA_BEFORE_DIR_ENV] = resolve(args.baseline);
if (servers.has(MINGA_BEFORE) && !args.baseline) throw new Error(`${MINGA_BEFORE} needs --baseline DIR`);
/** Minga variants asked for by name run wherever Minga runs (before/after in the same run). */
const askedVariants = args.servers ? [...servers].filter(isMingaVariant) : [];
const parts = new Set(args.only ? args.only.split(',') : ['check', 'matrix', 'knee', 'durability', 'board-size', 'commands']);
const seed = Number(args.seed);
const workers = Number(args.workers);
const options: MeasureOptions = {
  timing: plan.timing,
  workers,
  seed,
  serverNice: Number(args['server-nice']),
  generatorNice: Number(args['generator-nice']),
  log
};
/** Quick runs retry a noisy window only while they are well inside their 5-minute budget. */
const QUICK_RETRY_BUDGET_SEC = 130;
/** A failed knee probe decides the knee: it may still be retried up to here. */
const QUICK_KNEE_RETRY_BUDGET_SEC = 180;

const results: BenchResults = {
  plan: plan.name,
  startedAt: new Date().toISOString(),
  durationSec: 0,
  machine: machineInfo(),
  code: codeVersion(),
  runs: [],
  knee: {},
  kneeLowerBound: [],
  kneeProbes: {},
  protocolCheck: {},
  durability: [],
  boardSize: []
};

const elapsedSec = () => (performance.now() - started) / 1000;

/**
 * One measurement; a window spoilt by other processes is measured again once (the quieter is
 * kept). Quick runs retry only while inside their budget, except a knee probe that failed: that
 * one decides the knee.
 */
async function run(server: TargetName, scenario: Scenario, kneeProbe = false): Promise<RunResult> {
  let r = await measure(server, scenario, options);
  const failed = r.load.latency.percentile(0.99) > KNEE_P99_MS;
  const budget = kneeProbe && failed ? QUICK_KNEE_RETRY_BUDGET_SEC : QUICK_RETRY_BUDGET_SEC;
  if (r.otherCpuCores > NOISY_OTHER_CORES && (plan.name === 'full' || elapsedSec() < budget)) {
    log(`  (other processes used ${r.otherCpuCores.toFixed(2)} cores; measuring again)`);
    const again = await measure(server, scenario, options);
    if (again.otherCpuCores < r.otherCpuCores) r = again;
  }
  const L = r.load.latency;
  log(
    `${scenario.id.padEnd(18)} ${String(r.editors).padStart(5)} ${server.padEnd(12)} p50 ${L.percentile(0.5).toFixed(1)}  p99 ${L.percentile(0.99).toFixed(1)}  max ${L.max.toFixed(0)} ms  delivered ${(100 * r.load.delivered).toFixed(2)}%  server ${r.serverCpuCores.toFixed(2)} cores  gen ${r.load.generatorCpuCores.toFixed(2)}  other ${r.otherCpuCores.toFixed(2)}${r.error ? '  FAILED' : ''}`
  );
  results.runs.push(r);
  return r;
}

log(`Minga ${results.code.commit}${results.code.serverDirty ? ' (server/ has uncommitted changes)' : ''}`);
log(`Minga bench, ${plan.name} plan: ${[...servers].join(', ')}; ${workers} generator processes; seed ${seed}`);

if (parts.has('check')) {
  for (const server of SERVER_NAMES.filter((s) => servers.has(s))) {
    const failure = await checkProtocol(server, seed);
    results.protocolCheck[server] = failure ?? 'ok';
    log(`protocol check ${server}: ${failure ?? 'the bench client and the real provider see each other\'s writes'}`);
  }
}

if (parts.has('matrix')) {
  for (const [i, { scenario, servers: list }] of plan.matrix.entries()) {
    const withBefore: TargetName[] = list.includes('minga') ? [...new Set<TargetName>([...list, ...askedVariants])] : [...list];
    // Every other scenario in the reverse order, so a drifting machine weighs on before and after alike.
    if (i % 2 === 1) withBefore.reverse();
    for (const server of withBefore) if (servers.has(server)) await run(server, scenario);
  }
}

if (parts.has('wire')) {
  const sizes = args['wire-sizes'] ? new Set(args['wire-sizes'].split(',').map(Number)) : null;
  for (const { scenario, servers: list } of wirePlan()) {
    if (sizes && !sizes.has(scenario.editorsPerBoard)) continue;
    for (const server of list) if (servers.has(server)) await run(server, scenario);
  }
}

if (parts.has('knee')) {
  for (const server of new Set([...plan.knee.servers, ...askedVariants])) {
    if (!servers.has(server)) continue;
    // Per size, the quietest run; a size that failed only in a noisy window counts as unmeasured,
    // so the search probes it again rather than trusting it.
    const p99Of = () => {
      const best = new Map<number, RunResult>();
      for (const r of results.runs) {
        if (r.server !== server || r.scenario !== 'one-board' || r.error) continue;
        const seen = best.get(r.editors);
        if (!seen || r.otherCpuCores < seen.otherCpuCores) best.set(r.editors, r);
      }
      const measured = new Map<number, number>();
      const noisyFailures: number[] = [];
      for (const [editors, r] of best) {
        const p99 = r.load.latency.percentile(0.99);
        if (p99 > KNEE_P99_MS && r.otherCpuCores > NOISY_OTHER_CORES) noisyFailures.push(editors);
        else measured.set(editors, p99);
      }
      return { measured, noisyFailures };
    };
    const retried = new Set<number>();
    for (let extra = 0; extra < plan.knee.maxExtraRuns; extra++) {
      const { measured, noisyFailures } = p99Of();
      const next = noisyFailures.sort((a, b) => a - b).find((n) => !retried.has(n)) ?? nextKneeProbe(measured, plan.knee.grid);
      if (next === null) break;
      retried.add(next);
      await run(server, oneBoard(next), true);
    }
    const { measured } = p99Of();
    const knee = kneeOf(measured);
    results.knee[server] = knee.editors;
    if (knee.lowerBound) results.kneeLowerBound.push(server);
    results.kneeProbes[server] = [...measured].sort((a, b) => a[0] - b[0]);
  }
}

if (parts.has('durability')) {
  for (const d of plan.durability) {
    if (!servers.has(d.server)) continue;
    results.durability.push(await durability(d.server, { rounds: d.rounds, editors: d.editors, workers, seed, log, faults: true }));
  }
}

if (parts.has('board-size') && servers.has('minga')) {
  for (const ideas of plan.boardSizes) results.boardSize.push(await boardSize(ideas, { seed, exportIdeas: plan.exportIdeas, log }));
}

if (parts.has('commands') && servers.has('minga')) {
  log('control plane: 8 boards, facilitator commands while participants listen');
  try {
    results.commands = await sessionCommands({ listeners: args.quick ? 25 : 60, commands: args.quick ? 160 : 400, log });
  } catch (err) {
    // A failing part must not lose the figures of the parts before it.
    log(`control plane part failed: ${(err as Error).message}`);
  }
}

if (args.profile && servers.has('minga')) {
  const editors = Number(args['profile-editors']);
  const scenario = oneBoard(editors);
  results.profiles = [];
  for (const server of new Set<TargetName>(['minga', ...askedVariants])) {
    const dir = join(import.meta.dirname, 'results/profile-tmp');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`profiling ${server}, one board × ${editors} editors (--cpu-prof; latency under the profiler is not comparable)`);
    await measure(server, scenario, { ...options, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const kept = join(import.meta.dirname, `results/${server}-${editors}.cpuprofile`);
      renameSync(join(dir, file), kept);
      const summary = summarizeProfile(kept, 25);
      results.profiles.push({ server, scenario: `one-board ${editors}`, totalMs: summary.totalMs, busyMs: summary.busyMs, top: summary.entries });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

results.durationSec = elapsedSec();
log('');
log(formatReport(results));
const wire = parts.has('wire') ? wireSummary(results, NOISY_OTHER_CORES) : null;
if (wire) log(`\n${formatWire(wire)}`);
log(`\n${plan.name} run took ${Math.round(results.durationSec)} s`);
const out = resolve(args.out ?? join(import.meta.dirname, parts.size === 1 && wire ? 'results/wire.json' : 'results/latest.json'));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ ...toJson(results), ...(wire ? { wire } : {}) }, null, 2) + '\n');
log(`results: ${out}`);
// Client libraries (the providers of the protocol check) may leave reconnect timers behind.
process.exit(0);
