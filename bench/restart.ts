import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { sleep } from './lib/clock.ts';
import { sampleProcess } from './lib/proc.ts';
import { Random } from './lib/random.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { SyncClient } from './load/client.ts';
import { BoardMirror } from './load/mirror.ts';
import { ideaText } from './load/people.ts';
import { minga, mingaEnv } from './servers/minga.ts';
import { mingaEntry, ROOT } from './servers/process.ts';
import type { Population } from './servers/types.ts';

/**
 * `npm run bench:restart [-- --rounds 15]` (issue 10): how soon Minga serves again after kill -9.
 * Each round starts the server on a data folder left by a kill -9, times from the spawn until
 * `/api/health` answers and until a client's WebSocket sync of a board completes, then kills it
 * with -9 again. Boards: empty, and 1,000 ideas (each posted, then edited). Two ways to run
 * the same code, in the same run, interleaved: the source through tsx (`before`: what `npm start`
 * ran until the server build) and the build, server/dist/main.js (`after`: what it runs now).
 */
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    ideas: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '10' },
    out: { type: 'string', default: join(import.meta.dirname, 'results/restart.json') }
  }
});
const rounds = Number(args.rounds);
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Variant {
  name: 'source' | 'build';
  argv: string[];
}
const variants: Variant[] = [
  { name: 'source', argv: ['--import', 'tsx', join(ROOT, 'server/src/main.ts')] },
  { name: 'build', argv: [mingaEntry()] }
];

interface Board {
  name: string;
  ideas: number;
  /** The data folder as the kill -9 after building the board left it; every round starts from a copy. */
  pristine: string;
  population: Population;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function prepareBoard(name: string, ideas: number): Promise<Board> {
  const pristine = mkdtempSync(join(tmpdir(), `minga-bench-restart-${name}-`));
  // Writes as fast as the builder sends; compaction as configured by default.
  const server = await minga.start({ dir: pristine, env: { MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000' } });
  const population = await server.populate({ boards: 1, editorsPerBoard: 20, seed: Number(args.seed) });
  if (ideas > 0) await postIdeas(population, ideas, Number(args.seed));
  await sleep(500);
  await server.kill9();
  return { name, ideas, pristine, population };
}

/** A fresh client's count of the board's ideas (and how many say "editada"); each read by the next seat. */
let reads = 0;
async function countIdeas(population: Population): Promise<{ ideas: number; edited: number }> {
  const doc = new Y.Doc();
  const seat = population.seats[reads++ % population.seats.length]!;
  const reader = new SyncClient('y-websocket', seat.url, population.boards[0]!.docName, { onSyncStep2: (u) => Y.applyUpdate(doc, u) });
  await reader.synced;
  reader.close();
  const all = [...doc.getMap('ideas').values()] as Y.Map<unknown>[];
  doc.destroy();
  return { ideas: all.length, edited: all.filter((i) => String(i.get('text')).endsWith('(editada)')).length };
}

/** Posts `count` ideas through the board's seats, then edits each once: 2 log entries per idea. */
async function postIdeas(population: Population, count: number, seed: number): Promise<void> {
  const rng = new Random(seed);
  const board = population.boards[0]!;
  const mirror = new BoardMirror();
  const writers = population.seats.map((seat) => ({ seat, clientId: rng.clientId(), client: new SyncClient('y-websocket', seat.url, board.docName) }));
  await Promise.all(writers.map((w) => w.client.synced));
  const ids: string[] = [];
  const send = async (i: number, change: (doc: Y.Doc) => void) => {
    const w = writers[i % writers.length]!;
    const update = mirror.write(w.clientId, change);
    if (update) w.client.sendUpdate(update);
    if (i % 100 === 99) await sleep(5);
  };
  const until = async (test: (n: { ideas: number; edited: number }) => boolean) => {
    const deadline = Date.now() + 120_000;
    while (!test(await countIdeas(population))) {
      if (Date.now() > deadline) throw new Error('the board was not built in 120 s');
      await sleep(300);
    }
  };
  for (let i = 0; i < count; i++) {
    const id = rng.id(12);
    ids.push(id);
    const { seat } = writers[i % writers.length]!;
    const text = ideaText(rng, 'Ovalle');
    await send(i, (doc) => {
      const idea = new Y.Map<unknown>();
      doc.getMap('ideas').set(id, idea);
      idea.set('text', text);
      idea.set('questionId', rng.pick(board.questionIds));
      idea.set('clusterId', null);
      idea.set('authorId', seat.participantId);
      idea.set('authorName', seat.name);
      idea.set('sector', seat.sector);
      idea.set('createdAt', Date.now());
    });
  }
  await until((n) => n.ideas >= count);
  for (let i = 0; i < count; i++) {
    await send(i, (doc) => {
      const idea = doc.getMap('ideas').get(ids[i]!) as Y.Map<unknown>;
      idea.set('text', `${String(idea.get('text'))} (editada)`);
    });
  }
  await until((n) => n.edited >= count);
  for (const w of writers) w.client.close();
  mirror.doc.destroy();
}

interface Round {
  healthMs: number;
  syncMs: number;
  /** The server's CPU time (user + system, all threads) when the board was synced: unlike wall time, barely moved by other work on the machine. */
  cpuMs: number;
}

/** One restart: spawn → /api/health 200, and spawn → board synced over the WebSocket. */
async function restartOnce(variant: Variant, board: Board, port: number): Promise<Round> {
  const dir = mkdtempSync(join(tmpdir(), 'minga-bench-restart-round-'));
  cpSync(board.pristine, dir, { recursive: true });
  const started = performance.now();
  const proc = spawn(process.execPath, variant.argv, { cwd: ROOT, env: { ...process.env, ...mingaEnv(dir, { PORT: String(port), LOG_LEVEL: 'warn' }) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => proc.once('exit', () => resolveExit()));
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${variant.name} exited: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (res) => res.ok,
        () => false
      );
      if (ok) break;
      if (performance.now() - started > 30_000) throw new Error(`${variant.name}: no health after 30 s: ${stderr}`);
      await sleep(2);
    }
    const healthMs = performance.now() - started;
    const seat = board.population.seats[0]!;
    const client = new SyncClient('y-websocket', seat.url.replace(/:\d+\//, `:${port}/`), board.population.boards[0]!.docName);
    await client.synced;
    const syncMs = performance.now() - started;
    const cpuMs = (sampleProcess(proc.pid!)?.cpuSeconds ?? NaN) * 1000;
    client.close();
    return { healthMs, syncMs, cpuMs };
  } finally {
    proc.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const p50 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const max = (xs: number[]) => Math.max(...xs);
const ms = (x: number) => `${Math.round(x)} ms`;

const startedAt = new Date().toISOString();
const code = codeVersion();
log(`Minga ${code.commit}${code.serverDirty ? ' (server/ has uncommitted changes)' : ''}: restart after kill -9, ${rounds} rounds per variant and board`);
const boards = [await prepareBoard('empty', 0), await prepareBoard(`${args.ideas}-ideas`, Number(args.ideas))];
const port = await freePort();
const samples: Record<string, Record<string, Round[]>> = {};
for (const b of boards) samples[b.name] = Object.fromEntries(variants.map((v) => [v.name, []]));
try {
  // Interleaved, so a busy moment on the machine weighs on both variants alike.
  for (let r = 0; r < rounds; r++) {
    for (const b of boards) for (const v of variants) samples[b.name]![v.name]!.push(await restartOnce(v, b, port));
    log(`  round ${r + 1}/${rounds} done`);
  }
} finally {
  for (const b of boards) rmSync(b.pristine, { recursive: true, force: true });
}

const summary = boards.map((b) => ({
  board: b.name,
  ideas: b.ideas,
  variants: variants.map((v) => {
    const rs = samples[b.name]![v.name]!;
    const health = rs.map((x) => x.healthMs);
    const sync = rs.map((x) => x.syncMs);
    const cpu = rs.map((x) => x.cpuMs);
    return { variant: v.name, healthP50Ms: p50(health), healthMaxMs: max(health), syncP50Ms: p50(sync), syncMaxMs: max(sync), cpuP50Ms: p50(cpu), cpuMaxMs: max(cpu), rounds: rs };
  })
}));
log('');
log(`wall time from spawn (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores); server CPU time until synced`);
log('board        variant  health p50 / max        board synced p50 / max  CPU p50 / max');
for (const b of summary) {
  for (const v of b.variants) {
    const col = (a: number, z: number) => `${ms(a)} / ${ms(z)}`.padEnd(23);
    log(`${b.board.padEnd(12)} ${v.variant.padEnd(8)} ${col(v.healthP50Ms, v.healthMaxMs)} ${col(v.syncP50Ms, v.syncMaxMs)} ${ms(v.cpuP50Ms)} / ${ms(v.cpuMaxMs)}`);
  }
}
const out = resolve(args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ plan: 'restart', startedAt, machine: machineInfo(), loadAverage: loadavg(), code, summary }, null, 2) + '\n');
log(`results: ${out}`);
