import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WAITING_PER_WORKSHOP } from '../../server/src/routes/api/joining.ts';
import { startPostgres, type PostgresServer } from '../helpers/engines/postgres.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/*
 * Two real Minga servers on one real PostgreSQL (DATABASE_URL): workshops, joins and identities
 * live there, so a workshop made through one is joined through the other. (The board log still
 * opens on SQLite until PgBoardStorage is wired.)
 */
describe('workshops and people on PostgreSQL, through two servers', () => {
  let postgres: PostgresServer;
  let url: string;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase('domain');
    const env = { DATABASE_URL: url, MINGA_SECRET: 'a'.repeat(64) };
    [a, b] = [await startServer(env), await startServer(env)];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await postgres?.stop();
  });

  const post = (server: TestServer, path: string, body: unknown, token?: string) =>
    fetch(`${server.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body)
    });

  it('fills the waiting list to its bound, not past it, when people ask through both servers at once', async () => {
    const created = await post(a, '/workshops', { title: 'Taller con lista', challengeIds: ['desafio-2'] });
    const ws = (await created.json()) as { code: string; workshopId: string };
    await a.app.joining.setPolicy(ws.workshopId, 'approval');
    const room = 4;
    for (let i = 0; i < MAX_WAITING_PER_WORKSHOP - room; i++) {
      await a.app.joining.ask({ workshopId: ws.workshopId, name: `P${i}`, sector: 'comunidad', comuna: 'Ovalle', deviceId: `device${i}` }, MAX_WAITING_PER_WORKSHOP);
    }
    // Twelve browsers (no cookie: a new one each) ask at once, half through each server.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(i % 2 ? a : b, `/workshops/${ws.code}/join`, { name: `Q${i}`, sector: 'universidad', comuna: 'La Serena' }))
    );
    const codes = await Promise.all(answers.map(async (r) => (r.status === 202 ? 'pending' : ((await r.json()) as { code: string }).code)));
    expect(codes.filter((c) => c === 'pending')).toHaveLength(room);
    expect(codes.filter((c) => c !== 'pending').every((c) => c === 'WAITING_LIST_FULL')).toBe(true);
    expect(await b.app.joining.waitingCount(ws.workshopId)).toBe(MAX_WAITING_PER_WORKSHOP);
  });

  it('creates a workshop on one server, joins it on the other, and both know the participant; the rows are in PostgreSQL', async () => {
    expect(a.app.pg).not.toBeNull();
    const created = await post(a, '/workshops', { title: 'Taller en dos', challengeIds: ['desafio-1', 'desafio-4'] });
    expect(created.status).toBe(201);
    const ws = (await created.json()) as { code: string; facilitatorToken: string; boards: { number: number }[] };
    expect(ws.boards.map((x) => x.number)).toEqual([1, 4]);

    const joined = await post(b, `/workshops/${ws.code}/join`, { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' });
    expect(joined.status).toBe(201);
    const { token, participantId } = (await joined.json()) as { token: string; participantId: string };
    for (const server of [a, b]) {
      const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ role: 'participant', id: participantId, workshopCode: ws.code });
    }

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query('SELECT p.name FROM participants p JOIN workshops w ON w.id = p.workshop_id WHERE w.code = $1', [ws.code]);
      expect(rows.rows).toEqual([{ name: 'Ana' }]);
    } finally {
      await client.end();
    }
    expect(a.app.sqlite.prepare('SELECT count(*) AS n FROM workshops').get()).toEqual({ n: 0 });
  });

  it('revokes a rotated facilitator token on both servers', async () => {
    const ws = (await (await post(a, '/workshops', { title: 'T', challengeIds: ['desafio-2'] })).json()) as { code: string; facilitatorToken: string };
    const rotated = await post(b, `/workshops/${ws.code}/facilitator-token`, {}, ws.facilitatorToken);
    expect(rotated.status).toBe(201);
    for (const server of [a, b]) {
      expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${ws.facilitatorToken}` } })).status).toBe(401);
    }
  });
});
