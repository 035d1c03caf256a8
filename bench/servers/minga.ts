import { join } from 'node:path';
import { CHALLENGES } from '../../seed/challenges.ts';
import { Random } from '../lib/random.ts';
import { person } from '../load/people.ts';
import { boardSeed } from '../load/seed.ts';
import { mingaEntry, startNodeProcess } from './process.ts';
import { seedBoard } from './seed-board.ts';
import { MINGA_BEFORE, MINGA_BEFORE_DIR_ENV, MINGA_FIXED_PAUSE, MINGA_UNBATCHED, type BenchServer, type BoardInfo, type Population, type RunningServer, type Seat, type StartOptions, type TargetName } from './types.ts';

/** A fixed signing key, so that tokens stay valid across the restarts of the durability test. */
const BENCH_SECRET = 'bench-secret-not-for-production-0123456789';
const JOIN_CONCURRENCY = 16;

interface CreatedWorkshop {
  code: string;
  facilitatorToken: string;
  boards: { id: string; challengeId: string }[];
}

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Environment of a bench Minga process; `env` overrides it. */
export function mingaEnv(dir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: join(dir, 'minga.db'),
    MINGA_WEB_ROOT: '',
    LOG_LEVEL: 'warn',
    MINGA_SECRET: BENCH_SECRET,
    // Every simulated person comes from 127.0.0.1: per-address limits would count them as one.
    IP_MESSAGES_PER_SECOND: '1000000',
    IP_MESSAGE_BURST: '10000000',
    API_REQUESTS_PER_MINUTE: '10000000',
    WORKSHOP_CREATIONS_PER_MINUTE: '10000000',
    JOINS_PER_MINUTE: '10000000',
    ...env
  };
}

/** Minga as `npm start` runs it: the server build in its own process, persisting to SQLite. */
export const minga: BenchServer = mingaWith('minga', {});

/** The same server with batching off (see MINGA_UNBATCHED). */
export const mingaUnbatched: BenchServer = mingaWith(MINGA_UNBATCHED, { MINGA_BATCH_WRITES: 'off', AWARENESS_INTERVAL_MS: '0' });

/** The same server with the wire of before issue 10 (see MINGA_FIXED_PAUSE). */
export const mingaFixedPause: BenchServer = mingaWith(MINGA_FIXED_PAUSE, { MINGA_BROADCAST_PACING: 'fixed-pause', MINGA_PRESENCE_RENEWALS: 'relay-all' });

/** The Minga of the checkout named by `--baseline` (see MINGA_BEFORE), with today's bench settings. */
export const mingaBefore: BenchServer = mingaWith(MINGA_BEFORE, {}, () => {
  const dir = process.env[MINGA_BEFORE_DIR_ENV];
  if (!dir) throw new Error(`${MINGA_BEFORE} needs --baseline DIR (a checkout of the earlier commit with its node_modules)`);
  return dir;
});

function mingaWith(name: TargetName, settings: Record<string, string>, root?: () => string): BenchServer {
  return {
    name,
    protocol: 'y-websocket',
    async start(options: StartOptions): Promise<RunningServer> {
      const proc = await startNodeProcess(mingaEntry(root?.()), {
        env: mingaEnv(options.dir, { ...settings, ...options.env }),
        nodeFlags: options.nodeFlags,
        ready: /abre http:\/\/localhost:(\d+)/
      });
      const httpUrl = `http://127.0.0.1:${proc.port}`;
      const wsUrl = `ws://127.0.0.1:${proc.port}`;
      return {
        name,
        pid: proc.pid,
        httpUrl,
        wsUrl,
        output: proc.output,
        waitFor: proc.waitFor,
        onLine: proc.onLine,
        stop: proc.stop,
        kill9: proc.kill9,
        populate: async (layout) => ({ ...(await populateMinga(httpUrl, wsUrl, layout)), server: name })
      };
    }
  };
}

/** One workshop with one board per challenge; participants join through the REST API. */
export async function populateMinga(
  httpUrl: string,
  wsUrl: string,
  layout: { boards: number; editorsPerBoard: number; seed: number }
): Promise<Population & { facilitatorToken: string; code: string }> {
  if (layout.boards > CHALLENGES.length) throw new Error(`at most ${CHALLENGES.length} boards per workshop`);
  const rng = new Random(layout.seed);
  const challenges = CHALLENGES.slice(0, layout.boards);
  const workshop = await post<CreatedWorkshop>(httpUrl, '/api/workshops', {
    title: 'Taller de carga',
    challengeIds: challenges.map((c) => c.id)
  });
  const boards: BoardInfo[] = [];
  for (const [i, b] of workshop.boards.entries()) {
    const questionIds = challenges[i]!.questions.map((q) => q.id);
    const seed = boardSeed(layout.seed, i, questionIds);
    const url = `${wsUrl}/yjs/${b.id}?token=${encodeURIComponent(workshop.facilitatorToken)}`;
    await seedBoard('y-websocket', url, b.id, seed.update, seed.clusterIds.length);
    boards.push({ boardId: b.id, docName: b.id, clusterIds: seed.clusterIds, questionIds });
  }
  const seats: Seat[] = [];
  const total = layout.boards * layout.editorsPerBoard;
  const people = Array.from({ length: total }, (_, i) => person(rng, i));
  let next = 0;
  const joinOne = async () => {
    while (next < total) {
      const index = next++;
      const who = people[index]!;
      const board = index % layout.boards;
      const joined = await post<{ token: string; participantId: string }>(httpUrl, `/api/workshops/${workshop.code}/join`, who);
      seats[index] = {
        index,
        board,
        url: `${wsUrl}/yjs/${boards[board]!.boardId}?token=${encodeURIComponent(joined.token)}`,
        participantId: joined.participantId,
        name: who.name,
        sector: who.sector,
        controlToken: joined.token
      };
    }
  };
  await Promise.all(Array.from({ length: JOIN_CONCURRENCY }, joinOne));
  return {
    server: 'minga',
    protocol: 'y-websocket',
    boards,
    seats,
    controlUrl: httpUrl,
    facilitatorToken: workshop.facilitatorToken,
    code: workshop.code
  };
}
