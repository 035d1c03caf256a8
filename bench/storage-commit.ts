import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createDb, type Synchronous } from '../db/client.ts';
import { createPgDb, migratePg } from '../db/pg.ts';
import type { BoardStorage } from '../server/src/sync/storage/board-storage.ts';
import { PgBoardStorage } from '../server/src/sync/storage/pg-board-storage.ts';
import { SqliteBoardStorage } from '../server/src/sync/storage/sqlite-board-storage.ts';
import { startPostgres } from '../tests/helpers/engines/postgres.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { Random } from './lib/random.ts';

/**
 * Storage: durable append. The cost of the output gate (DESIGN.md: an update is committed before
 * anyone sees it) on SQLite and on PostgreSQL, in the same run: one doc, one append in flight (as a
 * room does), N appends of realistic updates (an idea posted from the web app, ~100 bytes), one or
 * a batch of 10 or 50 updates per append (a room's group commit). Per append: Minga's CPU
 * (process.cpuUsage), the database server's CPU (/proc of the PostgreSQL processes; SQLite runs in
 * Minga's process) and the commit latency p50/p99. PostgreSQL runs with synchronous_commit=on and
 * fsync=on (its defaults, written out), SQLite in WAL with synchronous NORMAL and FULL.
 *
 * Run: `flock /tmp/heavy.lock node --import tsx bench/storage-commit.ts [appends]`
 */

const SEED = 13;
const APPENDS = Number(process.argv[2] ?? 2_000);
const BATCHES = [1, 10, 50] as const;
const CLK_TCK = 100;

/** `count` updates as the web app emits them: each posts an idea with its fields. */
function realisticUpdates(count: number): Uint8Array[] {
  const random = new Random(SEED);
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const words = ['agua', 'riego', 'feria', 'huerto', 'escuela', 'ruta', 'vecinos', 'energía', 'reciclaje', 'turismo'];
  for (let i = 0; updates.length < count; i++) {
    doc.transact(() => {
      const idea = new Y.Map<unknown>();
      doc.getMap('ideas').set(`idea-${i.toString(36)}`, idea);
      idea.set('text', Array.from({ length: 3 }, () => words[random.int(words.length)]).join(' '));
      idea.set('questionId', 'q1');
      idea.set('clusterId', null);
      idea.set('authorId', `p${random.int(40)}`);
      idea.set('authorName', 'Ana');
      idea.set('sector', 'comunidad');
      idea.set('createdAt', 1_700_000_000_000 + i);
    });
  }
  return updates;
}

/** CPU seconds of a process and its children (PostgreSQL: the postmaster and its backends). */
function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      if (pid === root || Number(fields[1]) === root) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / CLK_TCK;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

interface Row {
  engine: string;
  batch: number;
  appends: number;
  mingaCpuUsPerAppend: number;
  dbCpuUsPerAppend: number | null;
  mingaCpuUsPerUpdate: number;
  p50Ms: number;
  p99Ms: number;
  appendsPerSecond: number;
}

async function measure(engine: string, storage: BoardStorage, updates: Uint8Array[], batch: number, dbCpu: (() => number) | null): Promise<Row> {
  const docId = `bench-${engine}-${batch}`;
  const appends = Math.max(20, Math.floor(APPENDS / Math.sqrt(batch)));
  // Warm-up: statements prepared, connection open, pages cached.
  for (let i = 0; i < 20; i++) await storage.append(`${docId}-warm`, updates.slice(0, batch));
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const db0 = dbCpu?.() ?? 0;
  const started = performance.now();
  for (let i = 0; i < appends; i++) {
    const from = (i * batch) % (updates.length - batch);
    const t = performance.now();
    await storage.append(docId, updates.slice(from, from + batch));
    latencies.push(performance.now() - t);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const dbSeconds = dbCpu ? dbCpu() - db0 : null;
  latencies.sort((a, b) => a - b);
  const minga = (cpu.user + cpu.system) / appends;
  return {
    engine,
    batch,
    appends,
    mingaCpuUsPerAppend: Math.round(minga),
    dbCpuUsPerAppend: dbSeconds === null ? null : Math.round((dbSeconds * 1e6) / appends),
    mingaCpuUsPerUpdate: Math.round(minga / batch),
    p50Ms: Number(quantile(latencies, 0.5).toFixed(3)),
    p99Ms: Number(quantile(latencies, 0.99).toFixed(3)),
    appendsPerSecond: Math.round((appends / wallMs) * 1000)
  };
}

async function main(): Promise<void> {
  const updates = realisticUpdates(5_000);
  const meanBytes = Math.round(updates.reduce((n, u) => n + u.byteLength, 0) / updates.length);
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'minga-commit-'));
  const pgServer = await startPostgres({ settings: { synchronous_commit: 'on', fsync: 'on' } });
  try {
    for (const synchronous of ['NORMAL', 'FULL'] as Synchronous[]) {
      const handle = createDb(join(dir, `bench-${synchronous}.db`), { synchronous });
      const storage = new SqliteBoardStorage(handle.sqlite);
      for (const batch of BATCHES) rows.push(await measure(`sqlite-${synchronous.toLowerCase()}`, storage, updates, batch, null));
      handle.close();
    }
    const url = await pgServer.createDatabase('commit_bench');
    await migratePg(url);
    const pg = createPgDb(url);
    pg.pool.on('error', () => {});
    const { rows: [backend] } = await pg.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const postmaster = Number(readFileSync(`/proc/${backend!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    const storage = new PgBoardStorage(pg.db);
    for (const batch of BATCHES) rows.push(await measure('postgres', storage, updates, batch, () => treeCpuSeconds(postmaster)));
    await pg.close();
  } finally {
    await pgServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const out = (line: string) => process.stdout.write(line + '\n');
  out(JSON.stringify({ bench: 'Storage: durable append', ...codeVersion(), ...machineInfo(), at: new Date().toISOString(), appends: APPENDS, meanUpdateBytes: meanBytes }));
  out('engine         batch  appends  minga µs/append  db µs/append  minga µs/update  p50 ms  p99 ms  appends/s');
  for (const r of rows) {
    out(
      [r.engine.padEnd(14), String(r.batch).padStart(5), String(r.appends).padStart(8), String(r.mingaCpuUsPerAppend).padStart(16), String(r.dbCpuUsPerAppend ?? '-').padStart(13),
        String(r.mingaCpuUsPerUpdate).padStart(16), r.p50Ms.toFixed(3).padStart(7), r.p99Ms.toFixed(3).padStart(7), String(r.appendsPerSecond).padStart(10)].join(' ')
    );
  }
  for (const row of rows) out(JSON.stringify(row));
}

await main();
