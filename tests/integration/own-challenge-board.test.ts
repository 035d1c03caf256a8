import { parse as parseCsv } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, connectBoard, connectControl, createCluster, join, postIdea, type BoardClient, type ControlSocket, type CreatedWorkshop } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const OWN = {
  title: 'Huertos escolares en Monte Patria',
  context: 'Las escuelas rurales tienen patios sin uso.',
  questions: ['¿Cómo regamos los huertos con poca agua?', '¿Quién cuida los huertos en vacaciones?']
};
/** No context: the draft has no empty context paragraph and no empty list of references. */
const BARE = { title: 'Caleta de Los Vilos <2030>', questions: ['¿Qué vende la caleta en invierno?'] };

describe('a board of a workshop’s own challenge', () => {
  let server: TestServer;
  let ws: CreatedWorkshop;
  let boardId: string;
  let challengeId: string;
  let token: string;
  const boards: BoardClient[] = [];
  const sockets: ControlSocket[] = [];

  const download = async (format: string, board = boardId) => {
    const res = await fetch(`${server.url}/api/boards/${board}/export.${format}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, format).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  };

  beforeAll(async () => {
    server = await startServer();
    const res = await api<CreatedWorkshop>(server.url, '/api/workshops', { body: { title: 'Taller Limarí', challengeIds: ['desafio-6'], challenges: [OWN, BARE] } });
    ws = res.body;
    boardId = ws.boards[1]!.id;
    challengeId = ws.boards[1]!.challengeId;
    const [ana, beto] = await Promise.all([
      join(server.url, ws.code, { name: 'Ana', sector: 'comunidad', comuna: 'Monte Patria' }),
      join(server.url, ws.code, { name: 'Beto', sector: 'universidad', comuna: 'Ovalle' })
    ]);
    token = ana.token;
    boards.push(connectBoard(server.wsUrl, boardId, ana.token), connectBoard(server.wsUrl, boardId, beto.token));
    await Promise.all(boards.map((b) => b.synced));

    const [a, b] = boards as [BoardClient, BoardClient];
    const cluster = createCluster(a.doc, { title: 'Riego por goteo', questionId: `${challengeId}-p1` });
    const drip = postIdea(a.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'Goteo con botellas', questionId: `${challengeId}-p1`, clusterId: cluster });
    postIdea(b.doc, { id: beto.participantId, name: 'Beto', sector: 'universidad' }, { text: 'Turnos de apoderados', questionId: `${challengeId}-p2` });
    // Each client sees the other's idea: the server accepted and relayed both.
    await vi.waitFor(() => {
      expect(a.doc.getMap('ideas').size).toBe(2);
      expect(b.doc.getMap('ideas').size).toBe(2);
    });
    expect(a.denials).toEqual([]);
    expect(b.denials).toEqual([]);

    sockets.push(await connectControl(server.url, beto.token));
    await sockets[0]!.emitWithAck('board:join', { boardId });
    expect(await sockets[0]!.emitWithAck('vote:cast', { boardId, targetId: drip, delta: 1 })).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    for (const b of boards) b.destroy();
    for (const s of sockets) s.close();
    await server.close();
  });

  it('lets the facilitator focus the room on one of its questions, and refuses a question of another challenge', async () => {
    const fac = await connectControl(server.url, ws.facilitatorToken);
    sockets.push(fac);
    expect(await fac.emitWithAck('session:command', { boardId, action: 'focus', questionId: `${challengeId}-p2` })).toMatchObject({
      ok: true,
      state: { focusQuestionId: `${challengeId}-p2` }
    });
    expect(await fac.emitWithAck('session:command', { boardId, action: 'focus', questionId: 'desafio-6-p1' })).toMatchObject({
      ok: false,
      error: { code: 'QUESTION_NOT_FOUND' }
    });
  });

  it('exports Markdown with its title, questions and ideas', async () => {
    const md = new TextDecoder().decode(await download('md'));
    const order = ['# Borrador de propuesta: Desafío 1', `**${OWN.title}**`, OWN.context, `### Pregunta 1: ${OWN.questions[0]}`, 'Riego por goteo', 'Goteo con botellas', `### Pregunta 2: ${OWN.questions[1]}`, 'Turnos de apoderados'];
    let at = -1;
    for (const marker of order) {
      const next = md.indexOf(marker, at + 1);
      expect(next, marker).toBeGreaterThan(at);
      at = next;
    }
    expect(md).not.toContain('Referencias:');
  });

  it('exports a challenge without context or references without empty sections', async () => {
    const md = new TextDecoder().decode(await download('md', ws.boards[2]!.id));
    expect(md).toContain('**Caleta de Los Vilos &lt;2030&gt;**');
    expect(md).not.toContain('## Contexto del desafío');
    expect(md).not.toContain('Referencias:');
    const json = JSON.parse(new TextDecoder().decode(await download('json', ws.boards[2]!.id)));
    expect(json.challenge).toMatchObject({ number: 2, context: [], references: [] });
    const xml = strFromU8(unzipSync(await download('docx', ws.boards[2]!.id))['word/document.xml']!);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('Caleta de Los Vilos &lt;2030&gt;');
    expect(xml).not.toContain('Contexto del desafío');
    expect(xml).not.toContain('Referencias');
  });

  it('exports a CSV with one row per idea under its question’s text', async () => {
    const rows = parseCsv(new TextDecoder().decode(await download('csv')), { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[6]])).toEqual([
      [OWN.questions[0], 'Riego por goteo', 'Goteo con botellas', '1'],
      [OWN.questions[1], '', 'Turnos de apoderados', '0']
    ]);
  });

  it('exports JSON and DOCX that name the challenge and its questions', async () => {
    const report = JSON.parse(new TextDecoder().decode(await download('json')));
    expect(report.challenge).toEqual({ id: challengeId, number: 1, title: OWN.title, sourceTitle: OWN.title, context: [OWN.context], references: [] });
    expect(report.questions.map((q: { id: string; text: string }) => [q.id, q.text])).toEqual([
      [`${challengeId}-p1`, OWN.questions[0]],
      [`${challengeId}-p2`, OWN.questions[1]]
    ]);
    expect(report.questions[0].clusters[0]).toMatchObject({ title: 'Riego por goteo', support: 1 });

    const xml = strFromU8(unzipSync(await download('docx'))['word/document.xml']!);
    expect(XMLValidator.validate(xml)).toBe(true);
    const text = xml.replace(/<[^>]+>/g, '');
    for (const marker of [OWN.title, OWN.context, OWN.questions[0]!, 'Goteo con botellas', OWN.questions[1]!, 'Turnos de apoderados']) expect(text).toContain(marker);
    expect(text).not.toContain('Referencias');
  });
});
