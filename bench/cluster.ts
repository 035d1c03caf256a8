import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres, type PostgresServer } from '../tests/helpers/engines/postgres.ts';
import { startRedis, type RedisServer } from '../tests/helpers/engines/redis.ts';
import { coresBetween, machineCoresBetween, ProcessMonitor, sampleMachine, type MachineSample, type ProcSample } from './lib/proc.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { LoadGenerator, type Timing } from './load/generator.ts';
import { DEFAULT_BEHAVIOUR } from './load/protocol.ts';
import { KNEE_P99_MS } from './scenarios.ts';
import { mingaEnv, populateMinga } from './servers/minga.ts';
import { mingaEntry, startNodeProcess, type ServerProcess } from './servers/process.ts';

/**
 * `npm run bench:cluster [-- --quick]` (issue 13): Minga as 1, 2 and 4 processes sharing one
 * PostgreSQL and one Redis, against one process on SQLite (today's default) and one on PostgreSQL
 * alone, in the same run, same generator, same machine. Editors are spread over the processes
 * round-robin, as a proxy without board hashing would (the slow case: most changes cross Redis).
 * Prints p50/p99 end-to-end latency (a change made on one process, received on all), the server
 * CPU of all processes together, and the most editors at p99 ≤ 100 ms: on one board, and in
 * total across 8 boards.
 */

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/cluster.json' },
    workers: { type: 'string', default: '4' },
    seed: { type: 'string', default: '20220' },
    configs: { type: 'string' },
    /** Sizes to try instead of the plan's: editors on one board, and per board of eight. */
    'one-board': { type: 'string' },
    'eight-boards': { type: 'string' }
  }
});

interface Setup {
  name: string;
  processes: number;
  postgres: boolean;
  redis: boolean;
}

const SETUPS: Setup[] = [
  { name: '1×sqlite', processes: 1, postgres: false, redis: false },
  { name: '1×pg', processes: 1, postgres: true, redis: false },
  { name: '2×pg+redis', processes: 2, postgres: true, redis: true },
  { name: '4×pg+redis', processes: 4, postgres: true, redis: true }
];

interface Shape {
  id: 'one-board' | 'eight-boards';
  boards: number;
  /** Editors per board at each size tried, smallest first. */
  sizes: number[];
}

const sizes = (raw: string | undefined, plan: number[]) => (raw ? raw.split(',').map(Number) : plan);
const PLAN_SHAPES: Shape[] = args.quick
  ? [
      { id: 'one-board', boards: 1, sizes: [100, 300] },
      { id: 'eight-boards', boards: 8, sizes: [25, 50] }
    ]
  : [
      { id: 'one-board', boards: 1, sizes: [100, 250, 500, 750] },
      { id: 'eight-boards', boards: 8, sizes: [25, 50, 75, 100] }
    ];

const SHAPES: Shape[] = PLAN_SHAPES.map((shape) => ({ ...shape, sizes: sizes(args[shape.id], shape.sizes) }));

const TIMING: Timing = args.quick ? { warmupMs: 3_000, measureMs: 8_000, drainMs: 2_000 } : { warmupMs: 4_000, measureMs: 15_000, drainMs: 3_000 };

interface Row {
  setup: string;
  shape: Shape['id'];
  editors: number;
  p50: number;
  p99: number;
  delivered: number;
  /** CPU of every Minga process together (cores), during the measured window. */
  serverCores: number;
  /** CPU of everything else: PostgreSQL, Redis, other work on the machine (cores). */
  otherCores: number;
  error?: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** What to stop if the run is interrupted (Ctrl+C): Minga processes, PostgreSQL and Redis. */
const running = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: stopping the processes and engines`);
    void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(130));
  });
}
const setups = args.configs ? SETUPS.filter((s) => args.configs!.split(',').includes(s.name)) : SETUPS;

/** N Minga processes on one store; the URLs of each. */
async function startCluster(setup: Setup, dir: string, engines: { pg: PostgresServer | null; redis: RedisServer | null }, n: number): Promise<ServerProcess[]> {
  const env: Record<string, string> = {};
  if (setup.postgres) env.DATABASE_URL = await engines.pg!.createDatabase(`bench_${n}`);
  if (setup.redis) env.REDIS_URL = engines.redis!.url;
  const procs: ServerProcess[] = [];
  // One after the other: the first migrates (the others would wait on the migration lock anyway).
  for (let i = 0; i < setup.processes; i++) {
    const proc = await startNodeProcess(mingaEntry(), { env: mingaEnv(join(dir, `p${i}`), { ...env, ROOM_IDLE_UNLOAD_MS: '60000' }), ready: /abre http:\/\/localhost:(\d+)/ });
    running.add(proc.stop);
    procs.push(proc);
  }
  return procs;
}

async function measureOne(setup: Setup, shape: Shape, perBoard: number, engines: { pg: PostgresServer | null; redis: RedisServer | null }, n: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), `minga-cluster-${setup.name}-`));
  const editors = perBoard * shape.boards;
  const base = { setup: setup.name, shape: shape.id, editors };
  let procs: ServerProcess[] = [];
  let generator: LoadGenerator | null = null;
  const monitors: ProcessMonitor[] = [];
  try {
    for (let i = 0; i < setup.processes; i++) mkdirSync(join(dir, `p${i}`));
    procs = await startCluster(setup, dir, engines, n);
    for (const p of procs) monitors.push(new ProcessMonitor(p.pid));
    const first = procs[0]!;
    const population = await populateMinga(`http://127.0.0.1:${first.port}`, `ws://127.0.0.1:${first.port}`, { boards: shape.boards, editorsPerBoard: perBoard, seed: Number(args.seed) });
    // Round-robin over the processes: a change usually reaches most of its receivers through Redis.
    for (const seat of population.seats) {
      const port = procs[seat.index % procs.length]!.port;
      seat.url = seat.url.replace(/^ws:\/\/127\.0\.0\.1:\d+/, `ws://127.0.0.1:${port}`);
    }
    generator = await LoadGenerator.launch(population, { workers: Number(args.workers), behaviour: DEFAULT_BEHAVIOUR, seed: Number(args.seed) });
    let at0: (ProcSample | null)[] = [];
    let at1: (ProcSample | null)[] = [];
    let m0: MachineSample | null = null;
    let m1: MachineSample | null = null;
    const load = await generator.run(TIMING, {
      atMeasure: () => {
        at0 = monitors.map((m) => m.mark());
        m0 = sampleMachine();
      },
      atStop: () => {
        at1 = monitors.map((m) => m.mark());
        m1 = sampleMachine();
      }
    });
    const serverCores = at0.reduce((sum, a, i) => (a && at1[i] ? sum + coresBetween(a, at1[i]!) : sum), 0);
    const machine = m0 && m1 ? machineCoresBetween(m0, m1) : 0;
    return {
      ...base,
      p50: load.latency.percentile(0.5),
      p99: load.latency.percentile(0.99),
      delivered: load.delivered,
      serverCores,
      otherCores: Math.max(0, machine - serverCores - load.generatorCpuCores)
    };
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!;
    log(`  ${setup.name} ${shape.id} ×${editors}: ${message}`);
    return { ...base, p50: NaN, p99: NaN, delivered: 0, serverCores: 0, otherCores: 0, error: message };
  } finally {
    for (const m of monitors) m.stop();
    await generator?.close();
    await Promise.all(procs.map((p) => p.stop()));
    for (const p of procs) running.delete(p.stop);
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

async function main(): Promise<void> {
  const started = performance.now();
  const needPg = setups.some((s) => s.postgres);
  const needRedis = setups.some((s) => s.redis);
  const engines = { pg: needPg ? await startPostgres() : null, redis: needRedis ? await startRedis() : null };
  if (engines.pg) running.add(engines.pg.stop);
  if (engines.redis) running.add(engines.redis.stop);
  const rows: Row[] = [];
  let n = 0;
  try {
    log(`cluster bench (${args.quick ? 'quick' : 'full'}), ${machineInfo().cpus} cores, load average at start ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
    log('setup        shape          editors   p50 ms   p99 ms  delivered  server cores  other cores');
    for (const shape of SHAPES) {
      for (const perBoard of shape.sizes) {
        // Every setup at this size before the next size: neighbours in time share the machine's noise.
        for (const setup of setups) {
          const row = await measureOne(setup, shape, perBoard, engines, n++);
          rows.push(row);
          log(
            `${row.setup.padEnd(12)} ${row.shape.padEnd(14)} ${String(row.editors).padStart(7)} ${fmt(row.p50).padStart(8)} ${fmt(row.p99).padStart(8)} ${(row.delivered * 100).toFixed(1).padStart(9)}% ${fmt(row.serverCores, 2).padStart(13)} ${fmt(row.otherCores, 2).padStart(12)}`
          );
        }
      }
    }
  } finally {
    await engines.pg?.stop();
    await engines.redis?.stop();
  }
  log(`\nmost editors at p99 ≤ ${KNEE_P99_MS} ms (of the sizes tried):`);
  for (const setup of setups) {
    const best = (shape: Shape['id']) => Math.max(0, ...rows.filter((r) => r.setup === setup.name && r.shape === shape && r.p99 <= KNEE_P99_MS && r.delivered > 0.99).map((r) => r.editors));
    log(`  ${setup.name.padEnd(12)} one board ${String(best('one-board')).padStart(5)}   8 boards ${String(best('eight-boards')).padStart(5)}`);
  }
  writeFileSync(args.out!, JSON.stringify({ at: new Date().toISOString(), ...codeVersion(), machine: machineInfo(), timing: TIMING, rows }, null, 2));
  log(`\n${((performance.now() - started) / 60_000).toFixed(1)} min; ${args.out}`);
}

await main();
