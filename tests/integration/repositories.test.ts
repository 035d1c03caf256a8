import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.ts';
import { createPgDb, migratePg, type PgHandle } from '../../db/pg.ts';
import { seedDatabase, seedPg } from '../../seed/seed.ts';
import { createIdentityResolver } from '../../server/src/auth/identity.ts';
import { facilitatorId, TokenSigner } from '../../server/src/auth/tokens.ts';
import { CHECKPOINTS_PER_BOARD } from '../../server/src/repositories/checkpoints.ts';
import { createPgRepositories } from '../../server/src/repositories/pg/index.ts';
import { createPgWorkshopsRepository } from '../../server/src/repositories/pg/workshops.ts';
import type { Repositories } from '../../server/src/repositories/repositories.ts';
import { createSqliteRepositories } from '../../server/src/repositories/sqlite/index.ts';
import { startPostgres, type PostgresServer } from '../helpers/engines/postgres.ts';

/*
 * The repositories' one contract, run against both engines: SQLite in a temp folder and a real
 * PostgreSQL this file starts (tests/helpers/engines/postgres.ts; without it installed, the PG
 * cases fail with the apt-get line to run). Then what only PostgreSQL can do: two pools, as two
 * Minga processes, writing at once.
 */

interface Engine {
  repos: Repositories;
  close(): Promise<void>;
}

let postgres: PostgresServer | null = null;
let databases = 0;

async function pgDatabase(): Promise<{ url: string; handle: PgHandle }> {
  postgres ??= await startPostgres();
  const url = await postgres.createDatabase(`repos_${++databases}`);
  await migratePg(url);
  const handle = createPgDb(url);
  await seedPg(handle.db);
  return { url, handle };
}

const ENGINES: [string, () => Promise<Engine>][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'minga-repos-'));
      const handle: DbHandle = createDb(join(dir, 'minga.db'));
      seedDatabase(handle.db);
      return {
        repos: createSqliteRepositories(handle.db),
        close: async () => {
          handle.close();
          rmSync(dir, { recursive: true, force: true });
        }
      };
    }
  ],
  [
    'PostgreSQL',
    async () => {
      const { handle } = await pgDatabase();
      return { repos: createPgRepositories(handle.db), close: () => handle.close() };
    }
  ]
];

afterAll(async () => {
  await postgres?.stop();
});

const ANA = { name: 'Ana', sector: 'comunidad' as const, comuna: 'Ovalle' as const };

describe.each(ENGINES)('repositories on %s', (_name, open) => {
  let engine: Engine;
  let repos: Repositories;
  beforeAll(async () => {
    engine = await open();
    repos = engine.repos;
  });
  afterAll(async () => engine?.close());

  const newWorkshop = () =>
    repos.workshops.create({ title: 'Taller', seeded: [{ id: 'desafio-1', number: 1 }], own: [{ title: 'Nuestro  desafío', questions: ['¿Qué?', '¿Cómo?'], number: 1 }] });

  it('creates a workshop with its boards and its own challenge, found by code and by id', async () => {
    expect((await repos.challenges.list()).map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ws = await newWorkshop();
    expect(ws.boards.map((b) => b.position)).toEqual([0, 1]);
    expect(await repos.workshops.byCode(ws.code)).toEqual(ws);
    expect(await repos.workshops.byId(ws.id)).toMatchObject({ code: ws.code, joinPolicy: 'open', facilitatorTokenGen: 0 });
    const own = await repos.challenges.get(ws.boards[1]!.challengeId);
    // Number 1 is the seeded board's, so the own challenge takes 2.
    expect(own).toMatchObject({ title: 'Nuestro desafío', number: 2, questions: [{ text: '¿Qué?' }, { text: '¿Cómo?' }] });
    expect(await repos.challenges.seeded(own!.id)).toBeNull();
    expect(await repos.workshops.board(ws.boards[0]!.id)).toEqual(ws.boards[0]);
    await repos.workshops.setTeamName(ws.boards[0]!.id, 'Equipo Limarí');
    expect((await repos.workshops.board(ws.boards[0]!.id))?.teamName).toBe('Equipo Limarí');
    expect(await repos.workshops.byCode('ZZZZZZ')).toBeNull();
  });

  it('joins, removes and bars a participant; their token stops resolving; a rotation revokes the facilitator token', async () => {
    const ws = await newWorkshop();
    const tokens = new TokenSigner(Buffer.alloc(32, 7));
    const resolve = createIdentityResolver(tokens, repos.workshops);
    const p = await repos.workshops.addParticipant({ workshopId: ws.id, ...ANA, deviceId: 'device-ana' });
    const token = tokens.sign({ role: 'participant', sub: p.id, wid: ws.id, code: ws.code }, 60_000);
    expect(await resolve(token)).toMatchObject({ ok: true, identity: { role: 'participant', id: p.id, name: 'Ana', workshopCode: ws.code } });
    expect(await repos.joining.barred(ws.id, 'device-ana')).toBeNull();

    expect(await repos.workshops.removeParticipant(ws.id, p.id)).toBe(true);
    expect(await repos.workshops.removeParticipant(ws.id, p.id)).toBe(false);
    expect(await repos.workshops.activeParticipant(ws.id, p.id)).toBeNull();
    expect(await resolve(token)).toEqual({ ok: false, reason: 'revoked' });
    expect(await repos.joining.barred(ws.id, 'device-ana')).toBe('removed');

    const fac = tokens.sign({ role: 'facilitator', sub: facilitatorId(ws.id), wid: ws.id, code: ws.code, gen: 0 }, 60_000);
    expect(await resolve(fac)).toMatchObject({ ok: true, identity: { role: 'facilitator', workshopId: ws.id } });
    expect(await repos.workshops.rotateFacilitatorToken(ws.id)).toBe(1);
    expect(await resolve(fac)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('keeps one waiting request per browser, decides it once, and remembers a refusal', async () => {
    const ws = await newWorkshop();
    await repos.joining.setPolicy(ws.id, 'approval');
    expect(await repos.joining.policy(ws.id)).toBe('approval');
    await repos.joining.ask({ workshopId: ws.id, ...ANA, deviceId: 'device-ana' }, 1);
    // Asking again replaces the request, so the browser does not count against the bound itself.
    const { request, secret } = (await repos.joining.ask({ workshopId: ws.id, ...ANA, name: 'Ana María', deviceId: 'device-ana' }, 1))!;
    // One waits, the bound is 1: another browser is turned away, and nothing is stored.
    expect(await repos.joining.ask({ workshopId: ws.id, ...ANA, name: 'Carla', deviceId: 'device-carla' }, 1)).toBeNull();
    expect((await repos.joining.waiting(ws.id)).map((r) => r.name)).toEqual(['Ana María']);
    expect(await repos.joining.waitingCount(ws.id)).toBe(1);
    expect(await repos.joining.read(ws.id, request.id, secret)).toMatchObject({ status: 'pending' });
    expect(await repos.joining.read(ws.id, request.id, 'not-the-secret-but-as-long-as-it')).toBeNull();

    const decided = await repos.joining.decide(ws.id, request.id, true);
    expect(decided?.request).toMatchObject({ status: 'approved', participantId: decided?.participant?.id });
    expect(await repos.workshops.activeParticipant(ws.id, decided!.participant!.id)).toMatchObject({ name: 'Ana María' });
    expect(await repos.joining.decide(ws.id, request.id, false)).toBeNull();

    const beto = (await repos.joining.ask({ workshopId: ws.id, ...ANA, name: 'Beto', deviceId: 'device-beto' }, 10))!;
    expect((await repos.joining.decide(ws.id, beto.request.id, false))?.participant).toBeNull();
    expect(await repos.joining.barred(ws.id, 'device-beto')).toBe('refused');
    expect(await repos.joining.waitingCount(ws.id)).toBe(0);
  });

  it(`keeps the newest ${CHECKPOINTS_PER_BOARD} checkpoints of a board, with their bytes`, async () => {
    const ws = await newWorkshop();
    const boardId = ws.boards[0]!.id;
    expect(await repos.checkpoints.newest(boardId)).toBeNull();
    const ids: number[] = [];
    for (let i = 0; i < CHECKPOINTS_PER_BOARD + 2; i++) {
      ids.push((await repos.checkpoints.add(boardId, { reason: 'activity', phase: 'abierto', ideas: i, data: new Uint8Array([i, 255, 0]) })).id);
    }
    expect((await repos.checkpoints.list(boardId)).map((c) => c.id)).toEqual(ids.slice(2).reverse());
    const newest = await repos.checkpoints.newest(boardId);
    expect(newest).toMatchObject({ id: ids.at(-1), ideas: CHECKPOINTS_PER_BOARD + 1, phase: 'abierto', reason: 'activity' });
    expect([...newest!.data]).toEqual([CHECKPOINTS_PER_BOARD + 1, 255, 0]);
    expect(await repos.checkpoints.get(boardId, ids[0]!)).toBeNull();
    expect(await repos.checkpoints.get(ws.boards[1]!.id, ids.at(-1)!)).toBeNull();
  });

  it('records votes in order, lists the people, and publishes the results', async () => {
    const ws = await newWorkshop();
    const [a, b] = ws.boards.map((x) => x.id) as [string, string];
    const p = await repos.workshops.addParticipant({ workshopId: ws.id, ...ANA, deviceId: null });
    await repos.results.recordVote(a, p.id, 1);
    await repos.results.recordVote(b, p.id, 1);
    await repos.results.recordVote(a, p.id, -1);
    expect((await repos.results.voteEvents([a, b])).map((e) => [e.boardId, e.delta])).toEqual([
      [a, 1],
      [b, 1],
      [a, -1]
    ]);
    expect(await repos.results.voteEvents([])).toEqual([]);
    expect(await repos.results.people(ws.id)).toEqual([{ id: p.id, sector: 'comunidad', comuna: 'Ovalle', createdAt: p.createdAt }]);
    expect(await repos.results.clientOwners(a)).toEqual(new Map());
    const at = await repos.results.setPublished(ws.id, true);
    expect((await repos.workshops.byId(ws.id))?.resultsPublishedAt).toBe(at);
    expect(await repos.results.setPublished(ws.id, false)).toBeNull();
  });
});

describe('repositories on PostgreSQL, two processes at once', () => {
  let a: PgHandle;
  let b: PgHandle;
  let url: string;
  beforeAll(async () => {
    const db = await pgDatabase();
    url = db.url;
    a = db.handle;
    b = createPgDb(url);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('never gives two workshops one code, though both processes draw the same codes', async () => {
    // Both draw C00, C01, … in the same order: every code but the first is contested.
    const drawer = () => {
      let n = 0;
      return () => `C${String(n++).padStart(2, '0')}AAA`;
    };
    const repoA = createPgWorkshopsRepository(a.db, Date.now, drawer());
    const repoB = createPgWorkshopsRepository(b.db, Date.now, drawer());
    const input = { title: 'T', seeded: [{ id: 'desafio-2', number: 2 }], own: [] };
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? repoA : repoB).create(input)));
    expect(new Set(made.map((w) => w.code)).size).toBe(12);
    for (const w of made) expect((await repoA.byCode(w.code))?.id).toBe(w.id);
  });

  it('loses no participant when two processes join people to one workshop, and decides a request once', async () => {
    const [ra, rb] = [createPgRepositories(a.db), createPgRepositories(b.db)];
    const ws = await ra.workshops.create({ title: 'T', seeded: [{ id: 'desafio-3', number: 3 }], own: [] });
    const joined = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? ra : rb).workshops.addParticipant({ workshopId: ws.id, ...ANA, name: `P${i}`, deviceId: `d${i}` }))
    );
    expect((await ra.results.people(ws.id)).map((p) => p.id).sort()).toEqual(joined.map((p) => p.id).sort());

    // One browser asking through both processes at once waits once.
    await Promise.all([ra, rb, ra, rb].map((r) => r.joining.ask({ workshopId: ws.id, ...ANA, deviceId: 'same-device' }, 10)));
    const waiting = await rb.joining.waiting(ws.id);
    expect(waiting).toHaveLength(1);
    // Two facilitators approve it at once: one participant, one answer.
    const answers = await Promise.all([ra, rb].map((r) => r.joining.decide(ws.id, waiting[0]!.id, true)));
    expect(answers.filter((x) => x !== null)).toHaveLength(1);
    expect(await ra.results.people(ws.id)).toHaveLength(41);
  });

  it('seeds the challenges once when two processes start together', async () => {
    const fresh = await postgres!.createDatabase('repos_seed');
    await Promise.all([migratePg(fresh), migratePg(fresh)]);
    const [x, y] = [createPgDb(fresh), createPgDb(fresh)];
    try {
      const [one, two] = await Promise.all([seedPg(x.db), seedPg(y.db)]);
      expect(one.inserted + two.inserted).toBe(35);
      expect(await seedPg(x.db)).toEqual({ inserted: 0 });
      expect(await createPgRepositories(y.db).challenges.list()).toHaveLength(8);
    } finally {
      await x.close();
      await y.close();
    }
  });
});
