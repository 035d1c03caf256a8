import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectControl, type ControlSocket } from '../tests/helpers/clients.ts';
import { startPostgres, type PostgresServer } from '../tests/helpers/engines/postgres.ts';
import { startRedis, type RedisServer } from '../tests/helpers/engines/redis.ts';
import { seedBigBoard } from './browser/big-board.ts';
import { Histogram } from './lib/histogram.ts';
import { codeVersion } from './lib/run-info.ts';
import { SERVERS } from './measure.ts';

/**
 * What a dot costs where several processes may serve a board (issue 13). With PostgreSQL and
 * Redis an open-round `vote:cast` takes the participant's advisory lock and reads the board as
 * stored before it checks the budget (docs/deploy.md, "Dots across processes"); with one process
 * (SQLite, or PostgreSQL alone) it does neither. Measured in the same run, one process each, on
 * boards of 300 and 2,000 ideas (bench/browser/big-board.ts): the open cast on SQLite (the
 * baseline), on PostgreSQL alone, on PostgreSQL + Redis; and the blind cast (a ballot row under a
 * lock; the board is not read) on SQLite and on PostgreSQL + Redis.
 * Each is timed one cast at a time (one voter) and with `voters` people casting at once.
 *   node --import tsx bench/open-votes.ts [--ideas 300,2000] [--casts 100] [--voters 10]
 */

const { values: args } = parseArgs({
  options: {
    ideas: { type: 'string', default: '300,2000' },
    casts: { type: 'string', default: '100' },
    voters: { type: 'string', default: '10' }
  }
});
const sizes = args.ideas.split(',').map(Number);
const casts = Number(args.casts);
const voters = Number(args.voters);
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Figures {
  one: Histogram;
  many: Histogram;
  perSecond: number;
}

/** `n` casts by one person, each a dot given then taken back, so the budget never runs out. */
async function castInTurn(socket: ControlSocket, boardId: string, targetId: string, n: number, into: Histogram) {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const ack = await socket.emitWithAck('vote:cast', { boardId, targetId, delta: i % 2 === 0 ? 1 : -1 });
    into.record(performance.now() - t0);
    if (!ack.ok) throw new Error(`vote:cast: ${ack.error.code}`);
  }
}

async function measure(sockets: ControlSocket[], boardId: string, targets: string[]): Promise<Figures> {
  const one = new Histogram();
  await castInTurn(sockets[0]!, boardId, targets[0]!, 10, new Histogram()); // warm-up
  await castInTurn(sockets[0]!, boardId, targets[0]!, casts, one);
  const many = new Histogram();
  const t0 = performance.now();
  await Promise.all(sockets.map((s, i) => castInTurn(s, boardId, targets[i % targets.length]!, Math.max(2, Math.round(casts / 5)), many)));
  return { one, many, perSecond: (many.count / (performance.now() - t0)) * 1000 };
}

async function run(ideas: number, engines: { pg: PostgresServer; redis: RedisServer | null } | null) {
  const dir = mkdtempSync(join(tmpdir(), 'minga-bench-votes-'));
  const env: Record<string, string> = { MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000' };
  if (engines) env.DATABASE_URL = await engines.pg.createDatabase(`votes_${ideas}_${engines.redis ? 'redis' : 'alone'}`);
  if (engines?.redis) env.REDIS_URL = engines.redis.url;
  const server = await SERVERS.minga.start({ dir, env });
  const sockets: ControlSocket[] = [];
  try {
    const board = await seedBigBoard(server.httpUrl, server.wsUrl, { ideas, writers: voters, votesPerWriter: 0, seed: 11 });
    const targets = board.groups.map((g) => g.id);
    for (const w of board.writers) {
      const s = await connectControl(server.httpUrl, w.token);
      sockets.push(s);
      const joined = await s.emitWithAck('board:join', { boardId: board.boardId });
      if (!joined.ok) throw new Error(`board:join: ${joined.error.code}`);
    }
    const open = await measure(sockets, board.boardId, targets);
    const fac = await connectControl(server.httpUrl, board.facilitatorToken);
    sockets.push(fac);
    for (const cmd of [{ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 30 }, blindVoting: true }, { action: 'next' }, { action: 'next' }]) {
      const ack = await fac.emitWithAck('session:command', { boardId: board.boardId, ...cmd } as never);
      if (!ack.ok) throw new Error(`session:command: ${ack.error.code}`);
    }
    const blind = await measure(sockets.slice(0, -1), board.boardId, targets);
    board.close();
    return { open, blind };
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (h: Histogram) => `${h.percentile(0.5).toFixed(1)} / ${h.percentile(0.99).toFixed(1)}`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

const version = codeVersion();
log(`open-round dots on PostgreSQL against SQLite, code ${version.commit}${version.serverDirty ? ' (server changed)' : ''}, load average ${loadavg()[0]!.toFixed(1)}`);
log(`${casts} casts in turn by one voter; then ${voters} voters at once, ${Math.max(2, Math.round(casts / 5))} casts each; every cast waits for its ack`);
const pg = await startPostgres();
const redis = await startRedis();
const rows: string[] = [];
try {
  for (const ideas of sizes) {
    const sqlite = await run(ideas, null);
    const alone = await run(ideas, { pg, redis: null });
    const shared = await run(ideas, { pg, redis });
    const line = (label: string, f: Figures, base: Figures) =>
      `| ${ideas} | ${label} | ${fmt(f.one)} | ${ratio(f.one.percentile(0.5), base.one.percentile(0.5))} / ${ratio(f.one.percentile(0.99), base.one.percentile(0.99))} | ${fmt(f.many)} | ${f.perSecond.toFixed(0)} |`;
    rows.push(line('open, SQLite (baseline)', sqlite.open, sqlite.open));
    rows.push(line('open, PostgreSQL alone', alone.open, sqlite.open));
    rows.push(line('open, PostgreSQL + Redis', shared.open, sqlite.open));
    rows.push(line('blind, SQLite', sqlite.blind, sqlite.open));
    rows.push(line('blind, PostgreSQL + Redis', shared.blind, sqlite.open));
    log(`  ${ideas} ideas done (load average ${loadavg()[0]!.toFixed(1)})`);
  }
} finally {
  await redis.stop();
  await pg.stop();
}
log('');
log('| ideas | cast | one voter: ack p50 / p99, ms | against the baseline, p50 / p99 | all voters at once: ack p50 / p99, ms | casts/s at once |');
log('|---|---|---|---|---|---|');
for (const r of rows) log(r);
