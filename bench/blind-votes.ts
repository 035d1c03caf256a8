import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../server/src/realtime/events.ts';
import { Histogram } from './lib/histogram.ts';
import { populateMinga } from './servers/minga.ts';
import { SERVERS } from './measure.ts';

/**
 * `vote:cast` in a blind round (the dot goes to SQLite `vote_ballots`, the voter's own sockets get
 * their dots) against the baseline in the same run: the same cast on an open board (the server
 * writes the doc's `votes` and broadcasts it). Two boards of one workshop, `voters` participants on
 * each, casts interleaved one open, one blind; then a wave where every voter casts at once; then
 * "Revelar votos" of every ballot, against a `lock` command's ack.
 *   node --import tsx bench/blind-votes.ts [voters=30] [rounds=20]
 */

type Control = Socket<ServerToClientEvents, ClientToServerEvents>;
const connect = (url: string, token: string) =>
  new Promise<Control>((resolve, reject) => {
    const s: Control = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });

const log = (line: string) => process.stdout.write(`${line}\n`);
const voters = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'minga-bench-blind-'));
const server = await SERVERS.minga.start({ dir, env: { MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000' } });
const sockets: Control[] = [];
const fmt = (h: Histogram) => `p50 ${h.percentile(0.5).toFixed(2)} p99 ${h.percentile(0.99).toFixed(2)} max ${h.max.toFixed(2)} ms (n=${h.count})`;
try {
  const pop = await populateMinga(server.httpUrl, server.wsUrl, { boards: 2, editorsPerBoard: voters, seed: 7 });
  const [open, blind] = pop.boards as [(typeof pop.boards)[0], (typeof pop.boards)[0]];
  const fac = await connect(server.httpUrl, pop.facilitatorToken);
  sockets.push(fac);
  const command = async (cmd: Record<string, unknown>) => {
    const res = await fac.emitWithAck('session:command', { boardId: blind.boardId, ...cmd } as never);
    if (!res.ok) throw new Error(`${String(cmd.action)}: ${res.error.code}`);
  };
  await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 0 }, blindVoting: true });
  await command({ action: 'next' });
  await command({ action: 'next' });

  const seats = await Promise.all(
    pop.seats.map(async (seat) => {
      const socket = await connect(server.httpUrl, seat.controlToken!);
      sockets.push(socket);
      const board = pop.boards[seat.board]!;
      const joined = await socket.emitWithAck('board:join', { boardId: board.boardId });
      if (!joined.ok) throw new Error(joined.error.code);
      return { socket, board };
    })
  );
  const cast = async (seat: (typeof seats)[0], i: number, delta: 1 | -1) => {
    const t0 = performance.now();
    const res = await seat.socket.emitWithAck('vote:cast', { boardId: seat.board.boardId, targetId: seat.board.clusterIds[i % seat.board.clusterIds.length]!, delta });
    if (!res.ok) throw new Error(res.error.code);
    return performance.now() - t0;
  };
  const openSeats = seats.filter((s) => s.board === open);
  const blindSeats = seats.filter((s) => s.board === blind);
  const sequential = { open: new Histogram(), blind: new Histogram() };
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < voters; v++) {
      const delta = r % 2 === 0 ? 1 : -1;
      // Alternate which goes first, so neither always runs on a warmer server.
      const pair = (v + r) % 2 === 0 ? (['open', 'blind'] as const) : (['blind', 'open'] as const);
      for (const kind of pair) sequential[kind].record(await cast((kind === 'open' ? openSeats : blindSeats)[v]!, v, delta));
    }
  }
  log(`sequential vote:cast, open board (baseline): ${fmt(sequential.open)}`);
  log(`sequential vote:cast, blind round:           ${fmt(sequential.blind)}`);

  const wave = { open: new Histogram(), blind: new Histogram() };
  for (let w = 0; w < 5; w++) {
    const times = await Promise.all(seats.map(async (s, i) => [s.board === open ? 'open' : 'blind', await cast(s, i, 1)] as const));
    for (const [kind, ms] of times) wave[kind].record(ms);
  }
  log(`wave of ${seats.length} casts at once, open board (baseline): ${fmt(wave.open)}`);
  log(`wave of ${seats.length} casts at once, blind round:           ${fmt(wave.blind)}`);

  const t0 = performance.now();
  await command({ action: 'lock' });
  const lockMs = performance.now() - t0;
  await command({ action: 'unlock' });
  const t1 = performance.now();
  await command({ action: 'revealVotes' });
  log(`revealVotes of ${voters * 5} dots by ${voters} people: ${(performance.now() - t1).toFixed(2)} ms; baseline lock ack ${lockMs.toFixed(2)} ms`);
} finally {
  for (const s of sockets) s.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
