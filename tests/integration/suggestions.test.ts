import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  api,
  connectBoard,
  connectControl,
  createCluster,
  createWorkshop,
  join,
  postIdea,
  type BoardClient,
  type ControlSocket
} from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import type { SuggestionsResponse } from '../../server/src/schemas/suggestions.ts';
import { MAX_SUGGESTION_IDEAS } from '../../server/src/suggestions/suggest.ts';
import { MAX_CLUSTERS_PER_PARTICIPANT } from '../../contract/board-document.ts';

const Q = 'desafio-6-p1';

describe('GET /api/boards/:boardId/suggestions', () => {
  let server: TestServer;
  let boardId: string;
  let facilitatorToken: string;
  let participantToken: string;
  let facilitator: ControlSocket;
  let board: BoardClient;
  let ana: { id: string; name: string; sector: string };
  const ids: Record<string, string> = {};
  const sockets: ControlSocket[] = [];
  const clients: BoardClient[] = [];

  const ask = (token: string | undefined, questionId = Q, id = boardId) =>
    api<SuggestionsResponse & { code?: string; message?: string; messageEn?: string }>(server.url, `/api/boards/${id}/suggestions?questionId=${questionId}`, { token });
  const command = (payload: Record<string, unknown>) => facilitator.emitWithAck('session:command', { boardId, ...payload } as never);

  beforeAll(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url, ['desafio-6']);
    boardId = ws.boards[0]!.id;
    facilitatorToken = ws.facilitatorToken;
    const joined = await join(server.url, ws.code, { name: 'Ana' });
    participantToken = joined.token;
    ana = { id: joined.participantId, name: 'Ana', sector: 'comunidad' };
    facilitator = await connectControl(server.url, facilitatorToken);
    sockets.push(facilitator);
    board = connectBoard(server.wsUrl, boardId, participantToken);
    clients.push(board);
    await board.synced;
    const post = (text: string, questionId = Q, clusterId: string | null = null) => postIdea(board.doc, ana, { text, questionId, clusterId });
    ids.drip1 = post('Riego por goteo para los pequeños agricultores');
    ids.drip2 = post('riego x goteo en los huertos de los agricultores');
    ids.drip3 = post('Subsidio al riego tecnificado por goteo');
    ids.fog1 = post('Atrapanieblas en La Higuera para juntar agua de la camanchaca');
    ids.fog2 = post('Más atrapanieblas comunitarios en las caletas');
    ids.alone = post('Una desaladora para Coquimbo');
    ids.hiddenDrip = post('Riego por goteo con sensores');
    ids.cluster = createCluster(board.doc, { title: 'Ya agrupadas', questionId: Q });
    ids.groupedDrip = post('Riego por goteo en los colegios', Q, ids.cluster);
    ids.otherQuestion = post('Riego por goteo en la cuenca del Elqui', 'desafio-6-p2');
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').size).toBe(9));
    expect(await command({ action: 'hide', ideaId: ids.hiddenDrip, hidden: true })).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const c of clients) c.destroy();
    await server.close();
  });

  it('suggests groups of the question’s ungrouped, visible ideas to the facilitator', async () => {
    const res = await ask(facilitatorToken);
    expect(res.status).toBe(200);
    const groups = res.body.groups.map((g) => [...g.ideaIds].sort());
    expect(groups).toEqual(expect.arrayContaining([[ids.drip1, ids.drip2, ids.drip3].sort(), [ids.fog1, ids.fog2].sort()]));
    const drip = res.body.groups.find((g) => g.ideaIds.includes(ids.drip1!))!;
    expect(drip.words).toEqual(expect.arrayContaining(['riego', 'goteo']));
    expect(drip.title.length).toBeGreaterThan(0);
    expect(res.body.unplaced).toContain(ids.alone);
    const mentioned = [...res.body.groups.flatMap((g) => g.ideaIds), ...res.body.unplaced];
    for (const key of ['hiddenDrip', 'groupedDrip', 'otherQuestion']) expect(mentioned, key).not.toContain(ids[key]);
  });

  it('writes nothing to the board, and sends nobody an update', async () => {
    const room = server.app.rooms.peek(boardId)!;
    const before = Y.encodeStateVector(room.doc);
    const received: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array) => received.push(update);
    const observer = connectBoard(server.wsUrl, boardId, facilitatorToken);
    clients.push(observer);
    await observer.synced;
    observer.doc.on('update', onUpdate);

    expect((await ask(facilitatorToken)).status).toBe(200);
    expect(Y.encodeStateVector(room.doc)).toEqual(before);

    // Something sent after the request arrives; only it did.
    const marker = postIdea(board.doc, ana, { text: 'marca', questionId: 'desafio-6-p4' });
    await vi.waitFor(() => expect(observer.doc.getMap('ideas').has(marker)).toBe(true));
    expect(received).toHaveLength(1);
    observer.doc.off('update', onUpdate);
  });

  it('refuses participants unless the facilitator allows them, and then only while clustering', async () => {
    const refused = await ask(participantToken);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'SUGGESTIONS_NOT_ALLOWED' });
    expect(refused.body.message).toMatch(/facilita/);
    expect(refused.body.messageEn).toMatch(/facilitator/);

    expect(await command({ action: 'suggestions', allowParticipants: true })).toMatchObject({ ok: true, state: { participantSuggestions: true } });
    expect((await ask(participantToken)).status).toBe(403); // the board is open, not clustering
    expect(await command({ action: 'start' })).toMatchObject({ ok: true, state: { phase: 'ideacion' } });
    expect((await ask(participantToken)).status).toBe(403);
    expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase: 'agrupacion' } });
    const allowed = await ask(participantToken);
    expect(allowed.status).toBe(200);
    const { groups, unplaced } = (await ask(facilitatorToken)).body;
    expect(allowed.body).toEqual({ groups, unplaced, groupsLeft: MAX_CLUSTERS_PER_PARTICIPANT - 1 }); // Ana made “Ya agrupadas”

    expect(await command({ action: 'suggestions', allowParticipants: false })).toMatchObject({ ok: true, state: { participantSuggestions: false } });
    expect((await ask(participantToken)).status).toBe(403);
    expect((await ask(facilitatorToken)).status).toBe(200);
    expect(await command({ action: 'end' })).toMatchObject({ ok: true });
  });

  it('lets only facilitators change who may ask', async () => {
    const s = await connectControl(server.url, participantToken);
    sockets.push(s);
    expect(await s.emitWithAck('session:command', { boardId, action: 'suggestions', allowParticipants: true } as never)).toMatchObject({
      ok: false,
      error: { code: 'FACILITATOR_ONLY' }
    });
    expect(await command({ action: 'suggestions', allowParticipants: 'yes' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('answers 401, 403, 404 and 400 as the other board routes do', async () => {
    expect((await ask(undefined)).status).toBe(401);
    expect((await ask('forged.token')).status).toBe(401);
    const other = await createWorkshop(server.url, ['desafio-6']);
    expect(await ask(other.facilitatorToken)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await ask(facilitatorToken, Q, 'noexiste')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await ask(facilitatorToken, 'desafio-1-p1')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const missing = await api<{ code: string }>(server.url, `/api/boards/${boardId}/suggestions`, { token: facilitatorToken });
    expect(missing).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT' } });
  });

  it('tells a participant how many more groups they may create on the board, and a facilitator null', async () => {
    const ws = await createWorkshop(server.url, ['desafio-6']);
    const id = ws.boards[0]!.id;
    const control = await connectControl(server.url, ws.facilitatorToken);
    sockets.push(control);
    for (const payload of [{ action: 'start' }, { action: 'next' }, { action: 'suggestions', allowParticipants: true }]) {
      expect(await control.emitWithAck('session:command', { boardId: id, ...payload } as never)).toMatchObject({ ok: true });
    }
    const [uno, dos] = [await join(server.url, ws.code, { name: 'Uno' }), await join(server.url, ws.code, { name: 'Dos' })];
    const left = async (token: string) =>
      (await api<SuggestionsResponse>(server.url, `/api/boards/${id}/suggestions?questionId=${Q}`, { token })).body.groupsLeft;
    expect(await left(uno.token)).toBe(MAX_CLUSTERS_PER_PARTICIPANT);

    // Uno's groups count against Uno only, whichever of Uno's connections wrote them; the
    // facilitator's groups count against nobody.
    const write = async (token: string, n: number) => {
      const c = connectBoard(server.wsUrl, id, token);
      clients.push(c);
      await c.synced;
      c.doc.transact(() => {
        for (let i = 0; i < n; i++) createCluster(c.doc, { title: `Grupo ${i}`, questionId: 'desafio-6-p2' });
      });
    };
    await write(uno.token, 3);
    await write(uno.token, 2);
    await write(ws.facilitatorToken, 4);
    await vi.waitFor(() => expect(server.app.rooms.peek(id)?.doc.getMap('clusters').size).toBe(9));
    expect(await left(uno.token)).toBe(MAX_CLUSTERS_PER_PARTICIPANT - 5);
    expect(await left(dos.token)).toBe(MAX_CLUSTERS_PER_PARTICIPANT);
    expect(await left(ws.facilitatorToken)).toBeNull();
  });

  it('refuses, with a clear message, a question with more ungrouped ideas than it clusters', async () => {
    const ws = await createWorkshop(server.url, ['desafio-6']);
    const id = ws.boards[0]!.id;
    for (const name of ['Uno', 'Dos']) {
      const p = await join(server.url, ws.code, { name });
      const c = connectBoard(server.wsUrl, id, p.token);
      clients.push(c);
      await c.synced;
      c.doc.transact(() => {
        for (let i = 0; i < MAX_SUGGESTION_IDEAS / 2 + 1; i++) postIdea(c.doc, { id: p.participantId, name, sector: 'comunidad' }, { text: `Idea ${name} ${i}`, questionId: Q });
      });
    }
    await vi.waitFor(() => expect(server.app.rooms.peek(id)?.doc.getMap('ideas').size).toBe(MAX_SUGGESTION_IDEAS + 2));
    const res = await api<{ code: string; message: string }>(server.url, `/api/boards/${id}/suggestions?questionId=${Q}`, { token: ws.facilitatorToken });
    expect(res).toMatchObject({ status: 422, body: { code: 'TOO_MANY_IDEAS' } });
    expect(res.body.message).toContain(String(MAX_SUGGESTION_IDEAS + 2));
  });
});

describe('the suggestions engine after a start', () => {
  it('loads on its own once the server is listening, so that nobody’s first request waits for it', async () => {
    const stream = new PassThrough();
    const lines: { msg?: string; ms?: number }[] = [];
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
    });
    const server = await startServer({ SUGGESTIONS_WARMUP_MS: '0' }, undefined, { logStream: stream });
    try {
      // No request asks for suggestions: the server loads the engine by itself.
      await vi.waitFor(() => expect(lines.find((l) => l.msg === 'suggestions engine loaded')?.ms).toBeTypeOf('number'), { timeout: 5_000 });
    } finally {
      await server.close();
    }
  });
});
