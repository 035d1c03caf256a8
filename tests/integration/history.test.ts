import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { CheckpointList, RestoreAnswer } from '../../server/src/schemas/checkpoints.ts';
import type { Static } from '@sinclair/typebox';
import { api, connectBoard, connectControl, createWorkshop, ideaText, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q = 'desafio-6-p1';
type List = Static<typeof CheckpointList>;

describe('board history: checkpoints and restore', () => {
  let server: TestServer;
  let clients: BoardClient[] = [];
  let control: ControlSocket | null = null;
  let boardId: string;
  let code: string;
  let facilitator: string;

  const open = async (token: string) => {
    const c = connectBoard(server.wsUrl, boardId, token);
    clients.push(c);
    await c.synced;
    return c;
  };
  const list = (token = facilitator) => api<List>(server.url, `/api/boards/${boardId}/checkpoints`, { token });
  const restore = (id: number, token = facilitator) =>
    api<RestoreAnswer>(server.url, `/api/boards/${boardId}/checkpoints/${id}/restore`, { method: 'POST', token });

  beforeEach(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url);
    boardId = ws.boards[0]!.id;
    code = ws.code;
    facilitator = ws.facilitatorToken;
  });

  afterEach(async () => {
    for (const c of clients) c.destroy();
    clients = [];
    control?.close();
    await server.close();
  });

  it('brings every idea of a mass delete back to a connected participant, as a new update, and the restore can be undone', async () => {
    const ana = await join(server.url, code, { name: 'Ana' });
    const beto = await join(server.url, code, { name: 'Beto' });
    const anaWho = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
    const a = await open(ana.token);
    const b = await open(beto.token);
    const ideas = Array.from({ length: 8 }, (_, i) => postIdea(a.doc, anaWho, { text: `Idea ${i + 1}`, questionId: Q }));
    await vi.waitFor(() => expect(b.doc.getMap('ideas').size).toBe(8));

    // Starting the session changes the phase: a checkpoint of the board as it is.
    control = await connectControl(server.url, facilitator);
    const started = await control.emitWithAck('session:command', { boardId, action: 'start' });
    expect(started.ok).toBe(true);
    const before = await list();
    expect(before.status).toBe(200);
    expect(before.body.checkpoints).toEqual([
      { id: expect.any(Number), createdAt: expect.any(Number), reason: 'phase', phase: 'ideacion', ideas: 8 }
    ]);
    const checkpoint = before.body.checkpoints[0]!;

    // Back to the open board (another phase change: another checkpoint), then a mass delete (the
    // facilitator may delete any idea) and a new idea after it.
    await control.emitWithAck('session:command', { boardId, action: 'end' });
    const f = await open(facilitator);
    f.doc.transact(() => {
      for (const id of ideas) f.doc.getMap('ideas').delete(id);
    });
    await vi.waitFor(() => expect(a.doc.getMap('ideas').size).toBe(0));
    const later = postIdea(a.doc, anaWho, { text: 'Después del borrado', questionId: Q });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(later)).toBe(true));

    const restored = await restore(checkpoint.id);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      restored: { id: checkpoint.id, ideas: 8 },
      saved: { reason: 'restore', ideas: 1 },
      summary: { ideasBack: 8, ideasRemoved: 1, ideasChanged: 0 }
    });
    // Both connected participants get it without reconnecting: the board is as it was.
    for (const c of [a, b]) {
      await vi.waitFor(() => expect([...c.doc.getMap('ideas').keys()].sort()).toEqual([...ideas].sort()));
      for (const [i, id] of ideas.entries()) expect(ideaText(c.doc, id)).toBe(`Idea ${i + 1}`);
      expect(c.closes).toEqual([]);
    }

    // Restored ideas still belong to their author: Ana edits one, Beto sees it.
    (a.doc.getMap('ideas').get(ideas[0]!) as Y.Map<unknown>).set('text', 'Idea 1, corregida');
    await vi.waitFor(() => expect(ideaText(b.doc, ideas[0]!)).toBe('Idea 1, corregida'));
    expect(a.denials).toEqual([]);

    // The checkpoint taken just before the restore undoes it.
    const after = await list();
    expect(after.body.checkpoints.map((c) => [c.reason, c.phase, c.ideas])).toEqual([
      ['restore', 'abierto', 1],
      ['phase', 'abierto', 8],
      ['phase', 'ideacion', 8]
    ]);
    const undo = await restore(restored.body.saved.id);
    expect(undo.status).toBe(200);
    await vi.waitFor(() => expect([...b.doc.getMap('ideas').keys()]).toEqual([later]));
  });

  it('does not bring a hidden idea back to participants when restoring a checkpoint from before it was hidden', async () => {
    const ana = await join(server.url, code, { name: 'Ana' });
    const a = await open(ana.token);
    const anaWho = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };
    const kept = postIdea(a.doc, anaWho, { text: 'Visible', questionId: Q });
    const hidden = postIdea(a.doc, anaWho, { text: 'Fuera de lugar', questionId: Q });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').size).toBe(2));
    control = await connectControl(server.url, facilitator);
    await control.emitWithAck('session:command', { boardId, action: 'start' });
    const checkpoint = (await list()).body.checkpoints[0]!;
    expect(await control.emitWithAck('session:command', { boardId, action: 'hide', ideaId: hidden, hidden: true })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(a.doc.getMap('ideas').has(hidden)).toBe(false));

    expect((await restore(checkpoint.id)).status).toBe(200);
    // A later marker proves the restore's update has arrived.
    const marker = postIdea(a.doc, anaWho, { text: 'Marcador', questionId: Q });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').has(marker)).toBe(true));
    await vi.waitFor(() => expect(a.doc.getMap('ideas').has(kept)).toBe(true));
    expect(a.doc.getMap('ideas').has(hidden)).toBe(false);
    expect(JSON.stringify(a.doc.toJSON())).not.toContain('Fuera de lugar');
  });

  it('is for the facilitator of the board only, and says so in Spanish and English', async () => {
    const ana = await join(server.url, code, { name: 'Ana' });
    const other = await createWorkshop(server.url);
    for (const token of [ana.token, other.facilitatorToken]) {
      const res = await list(token);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: expect.any(String), messageEn: expect.any(String) });
      expect((await restore(1, token)).status).toBe(403);
    }
    expect((await api(server.url, `/api/boards/${boardId}/checkpoints`)).status).toBe(401);
    const missing = await restore(999);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
    const bad = await api(server.url, `/api/boards/${boardId}/checkpoints/abc/restore`, { method: 'POST', token: facilitator });
    expect(bad.status).toBe(400);
    expect((await api(server.url, '/api/boards/nope/checkpoints', { token: facilitator })).status).toBe(404);
  });
});
