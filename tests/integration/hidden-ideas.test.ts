import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, connectControl, createCluster, createWorkshop, ideaText, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';
const SECRET = 'Texto que solo la facilitación debe ver';

/** Does this doc hold the text anywhere, deleted content included? */
const holds = (doc: Y.Doc, text: string) => Buffer.from(Y.encodeStateAsUpdate(doc)).includes(Buffer.from(text));

describe('hidden ideas', () => {
  let dir: string;
  let server: TestServer;
  let ws: Awaited<ReturnType<typeof createWorkshop>>;
  let boardId: string;
  const sockets: ControlSocket[] = [];
  const boards: BoardClient[] = [];

  const board = async (token: string, docId = boardId) => {
    const b = connectBoard(server.wsUrl, docId, token);
    boards.push(b);
    await b.synced;
    return b;
  };
  const control = async (token: string) => {
    const s = await connectControl(server.url, token);
    sockets.push(s);
    expect(await s.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    return s;
  };
  const participant = async (name: string) => {
    const p = await join(server.url, ws.code, { name });
    return { ...p, who: { id: p.participantId, name, sector: 'comunidad' } };
  };
  const hide = async (ideaId: string, hidden: boolean) => {
    const fac = sockets[0] ?? (await control(ws.facilitatorToken));
    return fac.emitWithAck('session:command', { boardId, action: 'hide', ideaId, hidden });
  };
  const closeClients = () => {
    for (const s of sockets.splice(0)) s.close();
    for (const b of boards.splice(0)) b.destroy();
  };

  beforeEach(async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'minga-hidden-'));
    server = await startServer({}, dir);
    ws = await createWorkshop(server.url);
    boardId = ws.boards[0]!.id;
    await control(ws.facilitatorToken);
  });

  afterEach(async () => {
    closeClients();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Ana posts an idea in a group, Beto gives it two dots, then the facilitator hides it. */
  async function hiddenIdea() {
    const ana = await participant('Ana');
    const beto = await participant('Beto');
    const a = await board(ana.token);
    const clusterId = createCluster(a.doc, { title: 'Huertos', questionId: Q1 });
    const ideaId = postIdea(a.doc, ana.who, { text: SECRET, questionId: Q1, clusterId });
    const kept = postIdea(a.doc, ana.who, { text: 'Una idea que sigue a la vista', questionId: Q1 });
    const b = await board(beto.token);
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(ideaId)).toBe(true));
    const sB = await control(beto.token);
    for (let i = 0; i < 2; i++) expect(await sB.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(a.doc.getMap('votes').get(`${ideaId}|${beto.participantId}`)).toBe(2));
    expect(await hide(ideaId, true)).toMatchObject({ ok: true });
    return { ana, beto, a, b, sB, ideaId, kept, clusterId };
  }

  it("takes a hidden idea and its votes out of every participant's doc, and keeps them in the facilitators' doc", async () => {
    const { a, b, ideaId, kept, clusterId, ana, beto, sB } = await hiddenIdea();
    for (const client of [a, b]) {
      await vi.waitFor(() => expect(client.doc.getMap('ideas').has(ideaId)).toBe(false));
      expect(client.doc.getMap('ideas').has(kept)).toBe(true);
      expect([...client.doc.getMap('votes').keys()].some((k) => k.startsWith(ideaId))).toBe(false);
    }
    // Beto's dots came back to him while the idea is hidden.
    expect(await sB.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, votes: { remaining: 5 } });

    // Someone who opens the board afterwards never receives the text, not even as deleted content.
    const late = await board((await participant('Carla')).token);
    expect(late.doc.getMap('ideas').has(ideaId)).toBe(false);
    expect(late.doc.getMap('ideas').has(kept)).toBe(true);
    expect(holds(late.doc, SECRET)).toBe(false);

    const fac = await board(ws.facilitatorToken, `${boardId}:hidden`);
    expect((fac.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).toJSON()).toMatchObject({
      text: SECRET,
      authorId: ana.participantId,
      authorName: 'Ana',
      clusterId,
      questionId: Q1
    });
    expect(fac.doc.getMap('votes').toJSON()).toEqual({ [`${ideaId}|${beto.participantId}`]: 2 });
  });

  it('lets only facilitators open the hidden doc, and nobody write to it', async () => {
    const { ana, ideaId } = await hiddenIdea();
    const peek = connectBoard(server.wsUrl, `${boardId}:hidden`, ana.token);
    boards.push(peek);
    await vi.waitFor(() => expect(peek.closes.map((c) => c.code)).toContain(4403));
    expect(peek.doc.getMap('ideas').size).toBe(0);

    const fac = await board(ws.facilitatorToken, `${boardId}:hidden`);
    (fac.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).set('text', 'Reescrita');
    await vi.waitFor(() => expect(fac.denials.map((d) => d.code)).toContain('HIDDEN_SERVER_ONLY'));
    const stored = server.app.rooms.peek(`${boardId}:hidden`)!.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>;
    expect(stored.get('text')).toBe(SECRET);
  });

  it('shows the idea again to everyone with its author, text, group and votes; its author can still edit it', async () => {
    const { a, b, ideaId, clusterId, beto } = await hiddenIdea();
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(ideaId)).toBe(false));
    const fac = await board(ws.facilitatorToken, `${boardId}:hidden`);

    expect(await hide(ideaId, false)).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(ideaText(b.doc, ideaId)).toBe(SECRET));
    expect((b.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).toJSON()).toMatchObject({ authorName: 'Ana', clusterId, questionId: Q1 });
    expect(b.doc.getMap('votes').get(`${ideaId}|${beto.participantId}`)).toBe(2);
    await vi.waitFor(() => expect(fac.doc.getMap('ideas').has(ideaId)).toBe(false));
    expect(fac.doc.getMap('votes').size).toBe(0);

    (a.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).set('text', 'Editada por Ana');
    await vi.waitFor(() => expect(ideaText(b.doc, ideaId)).toBe('Editada por Ana'));
    expect(a.denials).toEqual([]);
  });

  it("restores a voter's dots only as far as the budget allows, and drops a group that is gone", async () => {
    const { a, b, ideaId, clusterId, beto, sB, ana } = await hiddenIdea();
    // While hidden, Beto spends all five dots elsewhere; Ana deletes the group.
    const other = postIdea(a.doc, ana.who, { text: 'Otra', questionId: Q1 });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(other)).toBe(true));
    for (let i = 0; i < 4; i++) expect(await sB.emitWithAck('vote:cast', { boardId, targetId: other, delta: 1 })).toMatchObject({ ok: true });
    a.doc.getMap('clusters').delete(clusterId);
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)!.doc.getMap('clusters').has(clusterId)).toBe(false));

    expect(await hide(ideaId, false)).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(ideaId)).toBe(true));
    expect((b.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).get('clusterId')).toBeNull();
    expect(b.doc.getMap('votes').get(`${ideaId}|${beto.participantId}`)).toBe(1);
    expect(await sB.emitWithAck('vote:cast', { boardId, targetId: other, delta: 1 })).toMatchObject({ ok: false, error: { code: 'NO_DOTS_LEFT' } });
  });

  it('keeps a hidden idea away from participants after a restart, and from their exports', async () => {
    const { ideaId, ana } = await hiddenIdea();
    closeClients();
    await server.close();
    server = await startServer({}, dir);

    const again = await board(ana.token);
    expect(again.doc.getMap('ideas').has(ideaId)).toBe(false);
    expect(holds(again.doc, SECRET)).toBe(false);
    for (const token of [ana.token, ws.facilitatorToken]) {
      const res = await fetch(`${server.url}/api/boards/${boardId}/export.json`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain(SECRET);
    }
    const fac = await board(ws.facilitatorToken, `${boardId}:hidden`);
    expect(ideaText(fac.doc, ideaId)).toBe(SECRET);

    // A facilitator may still delete it for good.
    expect(await hide(ideaId, false)).toMatchObject({ ok: true });
    expect(await hide(ideaId, true)).toMatchObject({ ok: true });
    const removed = await sockets[0]!.emitWithAck('session:command', { boardId, action: 'remove', ideaId });
    expect(removed).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(fac.doc.getMap('ideas').has(ideaId)).toBe(false));
    expect(await hide(ideaId, false)).toMatchObject({ ok: false, error: { code: 'IDEA_NOT_FOUND' } });
  });

  it('moves ideas stored with the old `hidden: true` flag out of the board when it loads', async () => {
    const ana = await participant('Ana');
    closeClients();
    // A board stored by an earlier version: the idea is flagged, not moved.
    const old = new Y.Doc();
    const idea = new Y.Map<unknown>();
    old.getMap('ideas').set('legacy1', idea);
    for (const [k, v] of Object.entries({ text: SECRET, questionId: Q1, clusterId: null, authorId: ana.participantId, authorName: 'Ana', sector: 'comunidad', createdAt: 1, hidden: true })) {
      idea.set(k, v);
    }
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)).toBeNull());
    await server.app.boardStorage.append(boardId, [Y.encodeStateAsUpdate(old)]);

    const a = await board(ana.token);
    expect(a.doc.getMap('ideas').has('legacy1')).toBe(false);
    expect(holds(a.doc, SECRET)).toBe(false);
    const fac = await board(ws.facilitatorToken, `${boardId}:hidden`);
    expect((fac.doc.getMap('ideas').get('legacy1') as Y.Map<unknown>).toJSON()).toMatchObject({ text: SECRET, authorName: 'Ana' });
    expect((fac.doc.getMap('ideas').get('legacy1') as Y.Map<unknown>).has('hidden')).toBe(false);
  });
});
