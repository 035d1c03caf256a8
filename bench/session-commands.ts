import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SessionState } from '../server/src/realtime/events.ts';
import { CHALLENGES } from '../seed/challenges.ts';
import { Histogram } from './lib/histogram.ts';
import { SERVERS } from './measure.ts';

/**
 * The control plane under a whole workshop: 8 boards × `listeners` participants in each board's
 * Socket.io room, one facilitator running commands from the control room. Measures each
 * `session:command`'s acknowledgement, the time until the last participant of the board holds the
 * new `session:state`, and, as the baseline in the same run, the ack of `board:join` (the same
 * plane, no state change, no broadcast). Then `kill -9` with one board running and one paused:
 * after restart, does each keep its `endsAt` / remaining time?
 */

type Control = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface CommandsResult {
  boards: number;
  listenersPerBoard: number;
  commands: number;
  ackP50: number;
  ackP99: number;
  broadcastP50: number;
  broadcastP99: number;
  baselineJoinAckP50: number;
  baselineJoinAckP99: number;
  stateKeptAfterKill: boolean;
  recoveryMs: number;
}

const connect = (url: string, token: string) =>
  new Promise<Control>((resolve, reject) => {
    const s: Control = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export async function sessionCommands(options: { listeners: number; commands: number; log: (line: string) => void }): Promise<CommandsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'minga-bench-commands-'));
  // One facilitator sends hundreds of commands back to back here, far above a person's rate.
  const env = { MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '100000' };
  let server = await SERVERS.minga.start({ dir, env });
  const sockets: Control[] = [];
  try {
    const ws = await post<{ code: string; facilitatorToken: string; boards: { id: string }[] }>(server.httpUrl, '/api/workshops', {
      title: 'Bench: sala de control',
      challengeIds: CHALLENGES.map((c) => c.id)
    });
    const boards = ws.boards.map((b) => b.id);
    // Participants in every board's room, each counting the states it receives.
    const seen = new Map<string, { count: number; last: SessionState | null }[]>();
    for (const boardId of boards) {
      const list: { count: number; last: SessionState | null }[] = [];
      seen.set(boardId, list);
      for (let i = 0; i < options.listeners; i++) {
        const joined = await post<{ token: string }>(server.httpUrl, `/api/workshops/${ws.code}/join`, {
          name: `Persona ${i}`,
          sector: 'comunidad',
          comuna: 'Ovalle'
        });
        const s = await connect(server.httpUrl, joined.token);
        sockets.push(s);
        const mine = { count: 0, last: null as SessionState | null };
        list.push(mine);
        s.on('session:state', (state) => {
          mine.count++;
          mine.last = state;
        });
        await s.emitWithAck('board:join', { boardId });
      }
    }
    const facilitator = await connect(server.httpUrl, ws.facilitatorToken);
    sockets.push(facilitator);
    await facilitator.emitWithAck('workshop:watch', {});
    for (const boardId of boards) await facilitator.emitWithAck('session:command', { boardId, action: 'start' });

    const ack = new Histogram();
    const broadcast = new Histogram();
    const baseline = new Histogram();
    for (let n = 0; n < options.commands; n++) {
      const boardId = boards[n % boards.length]!;
      const listeners = seen.get(boardId)!;
      const before = listeners.map((l) => l.count);
      const action = Math.floor(n / boards.length) % 2 === 0 ? 'pause' : 'resume';
      const t0 = performance.now();
      const answer = await facilitator.emitWithAck('session:command', { boardId, action });
      ack.record(performance.now() - t0);
      if (!answer.ok) throw new Error(`${action}: ${answer.error.code}`);
      while (listeners.some((l, i) => l.count === before[i])) await new Promise((r) => setImmediate(r));
      broadcast.record(performance.now() - t0);
      const b0 = performance.now();
      await facilitator.emitWithAck('board:join', { boardId });
      baseline.record(performance.now() - b0);
    }
    options.log(
      `  session:command ack p50 ${ack.percentile(0.5).toFixed(2)} p99 ${ack.percentile(0.99).toFixed(2)} ms; ` +
        `state at the last of ${options.listeners} participants p50 ${broadcast.percentile(0.5).toFixed(2)} p99 ${broadcast.percentile(0.99).toFixed(2)} ms; ` +
        `baseline board:join ack p50 ${baseline.percentile(0.5).toFixed(2)} p99 ${baseline.percentile(0.99).toFixed(2)} ms`
    );

    // One board running, one paused; kill -9; restart on the same file.
    await facilitator.emitWithAck('session:command', { boardId: boards[0]!, action: 'resume' });
    const running = await facilitator.emitWithAck('session:command', { boardId: boards[0]!, action: 'extend', minutes: 1 });
    const paused = await facilitator.emitWithAck('session:command', { boardId: boards[1]!, action: 'pause' });
    for (const s of sockets.splice(0)) s.close();
    const killedAt = performance.now();
    await server.kill9();
    server = await SERVERS.minga.start({ dir, env: { ...env, PORT: new URL(server.httpUrl).port } });
    const again = await connect(server.httpUrl, ws.facilitatorToken);
    sockets.push(again);
    const a = await again.emitWithAck('board:join', { boardId: boards[0]! });
    const recoveryMs = performance.now() - killedAt;
    const b = await again.emitWithAck('board:join', { boardId: boards[1]! });
    const kept =
      running.ok && paused.ok && a.ok && b.ok && a.state.endsAt === running.state.endsAt && b.state.status === 'paused' && b.state.remainingMs === paused.state.remainingMs;
    options.log(`  after kill -9: running board keeps endsAt, paused board keeps remainingMs: ${kept}; serving again after ${Math.round(recoveryMs)} ms`);
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      boards: boards.length,
      listenersPerBoard: options.listeners,
      commands: options.commands,
      ackP50: round(ack.percentile(0.5)),
      ackP99: round(ack.percentile(0.99)),
      broadcastP50: round(broadcast.percentile(0.5)),
      broadcastP99: round(broadcast.percentile(0.99)),
      baselineJoinAckP50: round(baseline.percentile(0.5)),
      baselineJoinAckP99: round(baseline.percentile(0.99)),
      stateKeptAfterKill: kept,
      recoveryMs: Math.round(recoveryMs)
    };
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
