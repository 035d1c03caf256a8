import { statSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOIN_CODE_ALPHABET } from '../../server/src/auth/ids.ts';
import { api, createWorkshop, join } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn: string;
}

describe('REST API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  it('reports health', async () => {
    expect(await api(server.url, '/api/health')).toEqual({ status: 200, body: { ok: true } });
  });

  it('lists the eight challenges with their 27 guiding questions', async () => {
    const { status, body } = await api<{ id: string; number: number; questions: unknown[]; context: string }[]>(server.url, '/api/challenges');
    expect(status).toBe(200);
    expect(body.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(body.map((c) => c.questions.length)).toEqual([2, 3, 2, 3, 4, 4, 3, 6]);
    expect(body.every((c) => c.context.length > 100)).toBe(true);
  });

  it('creates a workshop with a readable join code, a facilitator token and one board per challenge', async () => {
    const ws = await createWorkshop(server.url, ['desafio-1', 'desafio-8']);
    expect(ws.code).toMatch(/^[A-Z2-9]{6}$/);
    expect([...ws.code].every((c) => JOIN_CODE_ALPHABET.includes(c))).toBe(true);
    expect(ws.code).not.toMatch(/[01OI]/);
    expect(ws.joinUrl).toBe(`${server.url}/taller/${ws.code}`);
    expect(ws.boards.map((b) => b.challengeId)).toEqual(['desafio-1', 'desafio-8']);
    expect(ws.boards[0]!.url).toBe(`/tablero/${ws.boards[0]!.id}`);
    const me = await api<{ role: string }>(server.url, '/api/me', { token: ws.facilitatorToken });
    expect(me.body).toMatchObject({ role: 'facilitator', workshopCode: ws.code });

    const read = await api<{ code: string; boards: { number: number }[] }>(server.url, `/api/workshops/${ws.code.toLowerCase()}`);
    expect(read.status).toBe(200);
    expect(read.body.boards.map((b) => b.number)).toEqual([1, 8]);
    const board = await api<{ challenge: { number: number }; workshop: { code: string } }>(server.url, `/api/boards/${ws.boards[1]!.id}`);
    expect(board.body).toMatchObject({ challenge: { number: 8 }, workshop: { code: ws.code } });
  });

  it('joins a participant with name, sector and comuna', async () => {
    const ws = await createWorkshop(server.url);
    const joined = await join(server.url, ws.code, { name: '  María   José ', sector: 'organizacion_social', comuna: 'Río Hurtado' });
    const me = await api(server.url, '/api/me', { token: joined.token });
    expect(me.body).toEqual({
      role: 'participant',
      id: joined.participantId,
      workshopCode: ws.code,
      name: 'María José',
      sector: 'organizacion_social',
      comuna: 'Río Hurtado'
    });
  });

  it.each([
    ['an empty title', '/api/workshops', { title: '   ', challengeIds: ['desafio-1'] }, /vacío/],
    ['no challenge', '/api/workshops', { title: 'T', challengeIds: [] }, /de 1 a 8 desafíos/],
    ['an unknown challenge', '/api/workshops', { title: 'T', challengeIds: ['desafio-99'] }, /desconocido/],
    ['repeated challenges', '/api/workshops', { title: 'T', challengeIds: ['desafio-1', 'desafio-1'] }, /repetidos/],
    ['an extra field', '/api/workshops', { title: 'T', challengeIds: ['desafio-1'], admin: true }, /admin/],
    ['a wrong type', '/api/workshops', { title: 5, challengeIds: ['desafio-1'] }, /tipo/]
  ])('refuses %s with a 400 in Spanish and English and creates nothing', async (_what, path, body, es) => {
    const before = server.app.sqlite.prepare('SELECT count(*) AS n FROM workshops').get() as { n: number };
    const res = await api<ErrorBody>(server.url, path, { body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(res.body.message).toMatch(es);
    expect(res.body.messageEn).toMatch(/^Invalid input/);
    const after = server.app.sqlite.prepare('SELECT count(*) AS n FROM workshops').get() as { n: number };
    expect(after.n).toBe(before.n);
  });

  it('refuses a join with a sector or comuna outside the lists, or without a name', async () => {
    const ws = await createWorkshop(server.url);
    for (const body of [
      { name: 'Ana', sector: 'gobierno', comuna: 'Ovalle' },
      { name: 'Ana', sector: 'comunidad', comuna: 'Santiago' },
      { name: '', sector: 'comunidad', comuna: 'Ovalle' },
      { name: 'x'.repeat(61), sector: 'comunidad', comuna: 'Ovalle' },
      { sector: 'comunidad', comuna: 'Ovalle' }
    ]) {
      const res = await api<ErrorBody>(server.url, `/api/workshops/${ws.code}/join`, { body });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^Datos no válidos/);
    }
    const n = server.app.sqlite.prepare('SELECT count(*) AS n FROM participants').get() as { n: number };
    const joined = await join(server.url, ws.code);
    expect(joined.participantId).toBeTruthy();
    expect((server.app.sqlite.prepare('SELECT count(*) AS n FROM participants').get() as { n: number }).n).toBe(n.n + 1);
  });

  it('answers 404 for unknown codes, boards and routes, and 401 without a valid token', async () => {
    for (const path of ['/api/workshops/ZZZZZZ', '/api/workshops/0OI1', '/api/boards/nope', '/api/nothing']) {
      const res = await api<ErrorBody>(server.url, path);
      expect(res.status).toBe(404);
      expect(res.body.message).toBeTruthy();
      expect(res.body.messageEn).toBeTruthy();
    }
    expect((await api(server.url, '/api/workshops/ZZZZZZ/join', { body: { name: 'A', sector: 'otro', comuna: 'Ovalle' } })).status).toBe(404);
    expect((await api(server.url, '/api/me')).status).toBe(401);
    expect((await api(server.url, '/api/me', { token: 'abc.def' })).status).toBe(401);
  });

  it('answers malformed JSON with a 400, never a 5xx', async () => {
    const res = await fetch(`${server.url}/api/workshops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.message).toBeTruthy();
    expect(body.messageEn).toBeTruthy();
  });

  it('stores a generated signing key with 0600 permissions next to the database', () => {
    const mode = statSync(joinPath(server.dir, 'secret')).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});
