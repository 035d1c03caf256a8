import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_CHALLENGE_CONTEXT_CHARS,
  MAX_CHALLENGE_TITLE_CHARS,
  MAX_QUESTION_CHARS,
  MAX_QUESTIONS_PER_CHALLENGE,
  type ChallengeDraft
} from '../../contract/challenges.ts';
import { api, type CreatedWorkshop } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn: string;
}
interface Challenge {
  id: string;
  number: number;
  title: string;
  sourceTitle: string;
  context: string;
  references: string[];
  questions: { id: string; text: string }[];
}

const WATER: ChallengeDraft = {
  title: 'Agua para Río Hurtado',
  context: 'La comuna vive una sequía larga.\n\nLas familias  rurales\ncargan agua en camiones.',
  questions: ['¿Cómo cuidamos el agua de las escuelas?', '  ¿Qué hacemos con las aguas grises?  ']
};
const COAST: ChallengeDraft = { title: 'Borde costero de Los Vilos', context: '', questions: ['¿Cómo recuperamos la caleta?'] };

describe('workshops on their own challenges', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ WORKSHOP_CREATIONS_PER_MINUTE: '10000', API_REQUESTS_PER_MINUTE: '100000' });
  });
  afterAll(async () => server.close());

  const count = (table: string) => (server.app.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const counts = () => ({ workshops: count('workshops'), boards: count('boards'), challenges: count('challenges'), questions: count('questions') });
  const create = (body: unknown) => api<CreatedWorkshop>(server.url, '/api/workshops', { body });

  it('creates a workshop on its own challenges only, stored as that workshop’s, with stable question ids', async () => {
    const res = await create({ title: 'Taller Limarí', challenges: [WATER, COAST] });
    expect(res.status).toBe(201);
    const [water, coast] = res.body.boards;

    const board = await api<{ challenge: Challenge }>(server.url, `/api/boards/${water!.id}`);
    expect(board.status).toBe(200);
    const id = water!.challengeId;
    expect(id).toMatch(/^[a-z0-9]{12}$/);
    expect(board.body.challenge).toEqual({
      id,
      number: 1,
      title: 'Agua para Río Hurtado',
      sourceTitle: 'Agua para Río Hurtado',
      context: 'La comuna vive una sequía larga.\n\nLas familias rurales cargan agua en camiones.',
      references: [],
      questions: [
        { id: `${id}-p1`, text: '¿Cómo cuidamos el agua de las escuelas?' },
        { id: `${id}-p2`, text: '¿Qué hacemos con las aguas grises?' }
      ]
    });

    const workshop = await api<{ boards: { challengeId: string; number: number; title: string }[] }>(server.url, `/api/workshops/${res.body.code}`);
    expect(workshop.body.boards.map((b) => [b.number, b.title])).toEqual([
      [1, 'Agua para Río Hurtado'],
      [2, 'Borde costero de Los Vilos']
    ]);
    const listed = await api<Challenge[]>(server.url, `/api/workshops/${res.body.code}/challenges`, { token: res.body.facilitatorToken });
    expect(listed.body.map((c) => c.id)).toEqual([water!.challengeId, coast!.challengeId]);
    expect(listed.body[1]!.questions).toEqual([{ id: `${coast!.challengeId}-p1`, text: '¿Cómo recuperamos la caleta?' }]);

    const rows = server.app.sqlite.prepare('SELECT id, workshop_id AS workshopId FROM challenges WHERE workshop_id = ? ORDER BY number').all(res.body.workshopId);
    expect(rows).toEqual([
      { id: water!.challengeId, workshopId: res.body.workshopId },
      { id: coast!.challengeId, workshopId: res.body.workshopId }
    ]);
  });

  it('mixes seeded and own challenges: seeded boards first, own ones numbered with the numbers left free', async () => {
    const res = await create({ title: 'Taller mixto', challengeIds: ['desafio-1', 'desafio-3'], challenges: [WATER, COAST] });
    expect(res.status).toBe(201);
    expect(res.body.boards.slice(0, 2).map((b) => b.challengeId)).toEqual(['desafio-1', 'desafio-3']);
    const workshop = await api<{ boards: { number: number; title: string }[] }>(server.url, `/api/workshops/${res.body.code}`);
    expect(workshop.body.boards.map((b) => b.number)).toEqual([1, 3, 2, 4]);
    expect(res.body.boards.map((b) => [b.number, b.title])).toEqual(workshop.body.boards.map((b) => [b.number, b.title]));
    const listed = await api<Challenge[]>(server.url, `/api/workshops/${res.body.code}/challenges`, { token: res.body.facilitatorToken });
    expect(listed.body.map((c) => c.title)).toEqual([
      expect.stringMatching(/^Mejorar de manera innovadora/),
      expect.stringMatching(/^Desarrollar innovaciones/),
      'Agua para Río Hurtado',
      'Borde costero de Los Vilos'
    ]);
    expect(listed.body[1]!.questions.map((q) => q.id)).toEqual(['desafio-3-p1', 'desafio-3-p2']);
  });

  it('lists a workshop’s challenges only to its facilitator: the proof that they are theirs to reuse', async () => {
    const mine = await create({ title: 'Mío', challenges: [COAST] });
    const other = await create({ title: 'Ajeno', challenges: [WATER] });
    const joined = await api<{ token: string }>(server.url, `/api/workshops/${mine.body.code}/join`, { body: { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' } });
    const path = `/api/workshops/${mine.body.code}/challenges`;
    expect((await api(server.url, path)).status).toBe(401);
    expect((await api(server.url, path, { token: joined.body.token })).status).toBe(403);
    expect((await api(server.url, path, { token: other.body.facilitatorToken })).status).toBe(403);
    expect((await api(server.url, path, { token: mine.body.facilitatorToken })).status).toBe(200);
    expect((await api(server.url, '/api/workshops/ZZZZZZ/challenges', { token: mine.body.facilitatorToken })).status).toBe(404);
  });

  it('keeps the number a call for proposals gives a challenge, unless another challenge of the workshop has it', async () => {
    const res = await create({
      title: 'Numerado',
      challengeIds: ['desafio-2'],
      challenges: [
        { ...WATER, number: 7 },
        { ...COAST, number: 2 },
        { ...WATER, title: 'Sin número' },
        { ...COAST, number: 7 }
      ]
    });
    expect(res.status).toBe(201);
    // 7 is kept; 2 is the seeded desafío's and the second 7 the first one's, so those two and the
    // one without a number take, in order, the smallest numbers left: 1, 3, 4.
    expect(res.body.boards.map((b) => b.number)).toEqual([2, 7, 1, 3, 4]);
  });

  it('keeps the seeded challenges shared and unchanged: the list still holds the eight, and no own one', async () => {
    const before = await api<Challenge[]>(server.url, '/api/challenges');
    await create({ title: 'Otro', challenges: [{ ...WATER, title: 'Desafío 1 propio' }] });
    const after = await api<Challenge[]>(server.url, '/api/challenges');
    expect(after.body).toEqual(before.body);
    expect(after.body.map((c) => c.id)).toEqual(['desafio-1', 'desafio-2', 'desafio-3', 'desafio-4', 'desafio-5', 'desafio-6', 'desafio-7', 'desafio-8']);
  });

  it('accepts eight own challenges at every bound, accents and all', async () => {
    const full: ChallengeDraft = {
      title: 'Á'.repeat(MAX_CHALLENGE_TITLE_CHARS),
      // 14 bytes of JSON per 4 characters: the body is far past the 64 KiB of other routes.
      context: '“ñ”\u0001'.repeat(MAX_CHALLENGE_CONTEXT_CHARS / 4),
      questions: Array.from({ length: MAX_QUESTIONS_PER_CHALLENGE }, (_, i) => `¿${'é'.repeat(MAX_QUESTION_CHARS - 3)}${i}?`)
    };
    expect(full.context).toHaveLength(MAX_CHALLENGE_CONTEXT_CHARS);
    const body = { title: 'Grande', challenges: Array.from({ length: 8 }, () => full) };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(150_000);
    const res = await create(body);
    expect(res.status).toBe(201);
    const board = await api<{ challenge: Challenge }>(server.url, `/api/boards/${res.body.boards[7]!.id}`);
    expect(board.body.challenge.questions).toHaveLength(8);
    expect(board.body.challenge.questions[7]!.text).toBe(full.questions[7]);
    expect(board.body.challenge.title).toBe(full.title);
    expect(board.body.challenge.context).toBe(full.context);
  });

  it('does not let a workshop choose another workshop’s own challenge by id (reuse copies it instead)', async () => {
    const first = await create({ title: 'Primero', challenges: [COAST] });
    const before = counts();
    const res = await api<ErrorBody>(server.url, '/api/workshops', { body: { title: 'Ajeno', challengeIds: [first.body.boards[0]!.challengeId] } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`Datos no válidos: desafío desconocido: ${first.body.boards[0]!.challengeId}`);
    expect(res.body.messageEn).toBe(`Invalid input: unknown challenge: ${first.body.boards[0]!.challengeId}`);
    expect(counts()).toEqual(before);
  });

  const long = (n: number) => 'x'.repeat(n);
  it.each([
    ['no challenge at all', { title: 'T' }, /de 1 a 8 desafíos.*tendría 0/, /1 to 8 challenges.*would have 0/],
    ['empty lists', { title: 'T', challengeIds: [], challenges: [] }, /tendría 0/, /would have 0/],
    ['nine challenges, five seeded and four own', { title: 'T', challengeIds: ['desafio-1', 'desafio-2', 'desafio-3', 'desafio-4', 'desafio-5'], challenges: [WATER, COAST, WATER, COAST] }, /tendría 9/, /would have 9/],
    ['nine own challenges', { title: 'T', challenges: Array.from({ length: 9 }, () => COAST) }, /admite hasta 8 elementos/, /allows up to 8 items/],
    ['a challenge without questions', { title: 'T', challenges: [{ ...WATER, questions: [] }] }, /el desafío 1 de «challenges» necesita al menos 1 pregunta/, /challenge 1 in "challenges" needs at least 1 question/],
    ['nine questions', { title: 'T', challenges: [COAST, { ...WATER, questions: Array.from({ length: 9 }, (_, i) => `¿${i}?`) }] }, /el desafío 2 de «challenges» admite hasta 8 preguntas/, /challenge 2 in "challenges" allows up to 8 questions/],
    ['a blank question', { title: 'T', challenges: [{ ...WATER, questions: ['¿Bien?', '   '] }] }, /la pregunta 2 del desafío 1 de «challenges» está en blanco/, /question 2 of challenge 1 in "challenges" is blank/],
    ['a blank title', { title: 'T', challenges: [{ ...WATER, title: ' ' }] }, /el título del desafío 1 de «challenges» está en blanco/, /the title of challenge 1 in "challenges" is blank/],
    ['a title too long', { title: 'T', challenges: [{ ...WATER, title: long(MAX_CHALLENGE_TITLE_CHARS + 1) }] }, /el título del desafío 1 de «challenges» admite hasta 300 caracteres/, /allows up to 300 characters/],
    ['a context too long', { title: 'T', challenges: [COAST, { ...WATER, context: long(MAX_CHALLENGE_CONTEXT_CHARS + 1) }] }, /el contexto del desafío 2 de «challenges» admite hasta 4000 caracteres/, /the context of challenge 2/],
    ['a question too long', { title: 'T', challenges: [{ ...WATER, questions: ['¿Bien?', long(MAX_QUESTION_CHARS + 1)] }] }, /la pregunta 2 del desafío 1 de «challenges» admite hasta 400 caracteres/, /question 2 of challenge 1 in "challenges" allows up to 400 characters/],
    ['a question that is not text', { title: 'T', challenges: [{ ...WATER, questions: [7] }] }, /la pregunta 1 del desafío 1 de «challenges» debe ser texto/, /must be text/],
    ['a field the contract does not name', { title: 'T', challenges: [{ ...WATER, id: 'desafio-1' }] }, /el campo «id» no está permitido/, /"id" is not allowed/],
    ['a number that is not a whole number from 1 to 999', { title: 'T', challenges: [COAST, { ...WATER, number: 2.5 }] }, /el número del desafío 2 de «challenges» es un entero de 1 a 999/, /the number of challenge 2 in "challenges" is a whole number from 1 to 999/],
    ['a number past 999', { title: 'T', challenges: [{ ...WATER, number: 1000 }] }, /el número del desafío 1 de «challenges»/, /the number of challenge 1/],
    ['an own challenge beside an unknown seeded id', { title: 'T', challengeIds: ['desafio-99'], challenges: [WATER] }, /desafío desconocido: desafio-99/, /unknown challenge: desafio-99/]
  ])('refuses %s with a 400 in Spanish and English, and stores nothing', async (_what, body, es, en) => {
    const before = counts();
    const res = await api<ErrorBody>(server.url, '/api/workshops', { body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(res.body.message).toMatch(/^Datos no válidos: /);
    expect(res.body.message).toMatch(es);
    expect(res.body.messageEn).toMatch(/^Invalid input: /);
    expect(res.body.messageEn).toMatch(en);
    expect(counts()).toEqual(before);
  });

  it('stores nothing when the transaction fails after the challenges were written', async () => {
    const before = counts();
    // The boards are the last rows the creation writes: refusing them must undo the challenges too.
    server.app.sqlite.exec("CREATE TRIGGER fail_boards BEFORE INSERT ON boards BEGIN SELECT RAISE(ABORT, 'forced'); END");
    try {
      const res = await api<ErrorBody>(server.url, '/api/workshops', { body: { title: 'Falla', challenges: [WATER] } });
      expect(res.status).toBe(500);
    } finally {
      server.app.sqlite.exec('DROP TRIGGER fail_boards');
    }
    expect(counts()).toEqual(before);
  });
});

describe('a workshop’s own challenges on disk', () => {
  it('are kept across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minga-own-'));
    try {
      let server = await startServer({}, dir);
      const res = await api<CreatedWorkshop>(server.url, '/api/workshops', { body: { title: 'Persistente', challenges: [WATER] } });
      const boardId = res.body.boards[0]!.id;
      const before = await api<{ challenge: Challenge }>(server.url, `/api/boards/${boardId}`);
      await server.close();
      server = await startServer({}, dir);
      const after = await api<{ challenge: Challenge }>(server.url, `/api/boards/${boardId}`);
      await server.close();
      expect(after.status).toBe(200);
      expect(after.body.challenge).toEqual(before.body.challenge);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
