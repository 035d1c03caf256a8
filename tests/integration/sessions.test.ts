import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { SessionState } from '../../server/src/realtime/events.ts';
import { connectBoard, connectControl, createCluster, createWorkshop, ideaText, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';

describe('facilitated sessions', () => {
  let server: TestServer;
  let boardId: string;
  let code: string;
  let facilitator: ControlSocket;
  const sockets: ControlSocket[] = [];
  const boards: BoardClient[] = [];

  const control = async (token: string, joinBoard = true) => {
    const s = await connectControl(server.url, token);
    sockets.push(s);
    if (joinBoard) expect(await s.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    return s;
  };
  const board = async (token: string, docId = boardId) => {
    const b = connectBoard(server.wsUrl, docId, token);
    boards.push(b);
    await b.synced;
    return b;
  };
  const participant = async (name: string) => {
    const p = await join(server.url, code, { name });
    return { ...p, who: { id: p.participantId, name, sector: 'comunidad' } };
  };
  const command = (payload: Record<string, unknown>) => facilitator.emitWithAck('session:command', { boardId, ...payload } as never);
  const states = (s: ControlSocket) => {
    const seen: SessionState[] = [];
    s.on('session:state', (state) => seen.push(state));
    return seen;
  };

  beforeEach(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url, ['desafio-6', 'desafio-2']);
    boardId = ws.boards[0]!.id;
    code = ws.code;
    facilitator = await control(ws.facilitatorToken);
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const b of boards.splice(0)) b.destroy();
    await server.close();
  });

  it("refuses a participant's command and malformed commands, changing nothing", async () => {
    const ana = await participant('Ana');
    const s = await control(ana.token);
    expect(await s.emitWithAck('session:command', { boardId, action: 'lock' })).toMatchObject({ ok: false, error: { code: 'FACILITATOR_ONLY' } });
    for (const bad of [
      { action: 'explode' },
      { action: 'extend', minutes: 0 },
      { action: 'extend', minutes: 'five' },
      { action: 'start', plan: { ideacion: -1 } },
      { action: 'start', voteBudget: 1000 },
      { action: 'lock', extra: 1 },
      { action: 'remove', ideaId: 'a', participantId: 'b' }
    ]) {
      const ack = await command(bad);
      expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      if (!ack.ok) expect(ack.error.message).toMatch(/Datos no válidos/);
    }
    expect(await command({ action: 'next' })).toMatchObject({ ok: false, error: { code: 'NO_SESSION', message: expect.stringMatching(/sesión/) } });
    expect(server.app.sessionState(boardId)).toMatchObject({ phase: 'abierto', locked: false, status: 'idle' });
  });

  it('runs start, pause, resume, extend, next and end, broadcasting each state to the board', async () => {
    const ana = await participant('Ana');
    const s = await control(ana.token);
    const seen = states(s);

    const started = await command({ action: 'start', plan: { ideacion: 2, agrupacion: 1, votacion: 1, discusion: 3 } });
    expect(started).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'running', durationMs: 120_000 } });
    if (!started.ok) return;
    expect(started.state.endsAt! - started.state.serverNow).toBeGreaterThan(119_000);
    await vi.waitFor(() => expect(seen.at(-1)).toMatchObject({ phase: 'ideacion', status: 'running' }));

    const paused = await command({ action: 'pause' });
    expect(paused).toMatchObject({ ok: true, state: { status: 'paused', endsAt: null } });
    if (!paused.ok) throw new Error(`pause refused: ${paused.error.code}`);
    expect(paused.state.remainingMs).toBeGreaterThan(118_000);
    expect(await command({ action: 'pause' })).toMatchObject({ ok: false, error: { code: 'TIMER_NOT_RUNNING' } });
    const extended = await command({ action: 'extend', minutes: 5 });
    expect(extended).toMatchObject({ ok: true, state: { status: 'paused', remainingMs: paused.state.remainingMs! + 300_000 } });
    if (!extended.ok) throw new Error(`extend refused: ${extended.error.code}`);
    const resumed = await command({ action: 'resume' });
    expect(resumed).toMatchObject({ ok: true, state: { status: 'running' } });
    if (!resumed.ok) throw new Error(`resume refused: ${resumed.error.code}`);
    expect(resumed.state.endsAt! - resumed.state.serverNow).toBeGreaterThan(extended.state.remainingMs! - 1_000);

    for (const phase of ['agrupacion', 'votacion', 'discusion', 'cierre']) {
      expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase } });
    }
    expect(await command({ action: 'next' })).toMatchObject({ ok: false, error: { code: 'LAST_PHASE' } });
    expect(await command({ action: 'end' })).toMatchObject({ ok: true, state: { phase: 'abierto', status: 'idle' } });
    await vi.waitFor(() => expect(seen.map((x) => x.phase)).toEqual(expect.arrayContaining(['agrupacion', 'votacion', 'discusion', 'cierre', 'abierto'])));
    // A socket that joins later gets the current state in its ack.
    const late = await connectControl(server.url, ana.token);
    sockets.push(late);
    expect(await late.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, state: { phase: 'abierto' } });
  });

  it('shows "Tiempo" when extending past the end, and keeps the phase', async () => {
    await command({ action: 'start', plan: { ideacion: 1 } });
    // Shorten the countdown to about a second: extend by -1 minute leaves ~0 → expired at once.
    expect(await command({ action: 'extend', minutes: -1 })).toMatchObject({ ok: true, state: { status: 'expired', remainingMs: 0, phase: 'ideacion' } });
    expect(await command({ action: 'extend', minutes: 2 })).toMatchObject({ ok: true, state: { status: 'running', durationMs: 120_000 } });
  });

  it('enforces each phase on the content plane', async () => {
    const ana = await participant('Ana');
    const a = await board(ana.token);
    const ideaId = postIdea(a.doc, ana.who, { text: 'Antes', questionId: Q1 });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').has(ideaId)).toBe(true));

    await command({ action: 'start' });
    postIdea(a.doc, ana.who, { text: 'En ideación', questionId: Q1 });
    createCluster(a.doc, { title: 'Grupo', questionId: Q1 });
    await vi.waitFor(() => expect(a.denials.map((d) => d.code)).toEqual(['PHASE_FORBIDS']));
    expect(server.app.rooms.peek(boardId)!.doc.getMap('clusters').size).toBe(0);

    await command({ action: 'next' }); // agrupación
    const a2 = await board(ana.token);
    const clusterId = createCluster(a2.doc, { title: 'Agua', questionId: Q1 });
    (a2.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).set('clusterId', clusterId);
    await vi.waitFor(() => expect((server.app.rooms.peek(boardId)!.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).get('clusterId')).toBe(clusterId));
    postIdea(a2.doc, ana.who, { text: 'Tarde', questionId: Q1 });
    await vi.waitFor(() => expect(a2.denials.map((d) => d.code)).toEqual(['PHASE_FORBIDS']));

    await command({ action: 'next' }); // votación
    const s = await control(ana.token);
    expect(await s.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 })).toMatchObject({ ok: true, remaining: 4 });
    await command({ action: 'next' }); // discusión: no more votes
    expect(await s.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 })).toMatchObject({ ok: false, error: { code: 'VOTING_CLOSED' } });
    const a3 = await board(ana.token);
    (a3.doc.getMap('proposal').get('problema') as Y.Text).insert(0, 'El agua escasea');
    await vi.waitFor(() => expect(String(server.app.rooms.peek(boardId)!.doc.getMap('proposal').get('problema'))).toBe('El agua escasea'));

    await command({ action: 'next' }); // cierre: read-only
    (a3.doc.getMap('proposal').get('problema') as Y.Text).insert(0, 'X');
    await vi.waitFor(() => expect(a3.denials.map((d) => d.code)).toEqual(['PHASE_FORBIDS']));
    expect(String(server.app.rooms.peek(boardId)!.doc.getMap('proposal').get('problema'))).toBe('El agua escasea');
  });

  it('refuses every participant update on a locked board, also after reconnecting while locked', async () => {
    const ana = await participant('Ana');
    const beto = await participant('Beto');
    const a = await board(ana.token);
    const watcher = await board(beto.token);
    expect(await command({ action: 'lock' })).toMatchObject({ ok: true, state: { locked: true } });
    // Someone who only opens the locked board (y-websocket sends an empty update) is not refused.
    const reader = await board(beto.token);

    const ideaId = postIdea(a.doc, ana.who, { text: 'Bloqueada', questionId: Q1 });
    await vi.waitFor(() => expect(a.denials.map((d) => d.code)).toContain('BOARD_LOCKED'));
    expect(a.denials[0]!.message).toMatch(/bloque/);

    // The same client reconnects while still locked: its pending state is refused again.
    a.provider.disconnect();
    a.provider.connect();
    await vi.waitFor(() => expect(a.denials.filter((d) => d.code === 'BOARD_LOCKED').length).toBeGreaterThanOrEqual(2));
    expect(watcher.doc.getMap('ideas').has(ideaId)).toBe(false);
    const rows = server.app.sqlite.prepare('SELECT data FROM board_updates WHERE board_id = ?').all(boardId) as { data: Buffer }[];
    const stored = new Y.Doc();
    for (const r of rows) Y.applyUpdate(stored, new Uint8Array(r.data));
    expect(stored.getMap('ideas').has(ideaId)).toBe(false);

    // The facilitator still writes; after unlocking, participants write again.
    await command({ action: 'unlock' });
    const fresh = await board(ana.token);
    const later = postIdea(fresh.doc, ana.who, { text: 'Desbloqueada', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(watcher.doc, later)).toBe('Desbloqueada'));
    await vi.waitFor(() => expect(ideaText(reader.doc, later)).toBe('Desbloqueada'));
    expect(reader.denials).toEqual([]);
  });

  it('keeps private ideas private until reveal, then moves them all onto the board with their authors', async () => {
    const ana = await participant('Ana');
    const beto = await participant('Beto');
    await command({ action: 'start', privateIdeation: true });
    const anaPrivate = await board(ana.token, `${boardId}:private:${ana.participantId}`);
    const betoBoard = await board(beto.token);
    const ids = [0, 1, 2].map((i) => postIdea(anaPrivate.doc, ana.who, { text: `Privada ${i}`, questionId: Q1 }));
    await vi.waitFor(() => expect(server.app.rooms.peek(`${boardId}:private:${ana.participantId}`)?.doc.getMap('ideas').size).toBe(3));

    // Beto cannot open Ana's private doc, and the board shows nothing of it.
    const snoop = connectBoard(server.wsUrl, `${boardId}:private:${ana.participantId}`, beto.token);
    boards.push(snoop);
    await vi.waitFor(() => expect(snoop.closes[0]).toMatchObject({ code: 4403 }));
    expect(snoop.doc.getMap('ideas').size).toBe(0);
    expect(betoBoard.doc.getMap('ideas').size).toBe(0);
    // Writing on the board itself is refused while ideation is private.
    const anaBoard = await board(ana.token);
    postIdea(anaBoard.doc, ana.who, { text: 'pública', questionId: Q1 });
    await vi.waitFor(() => expect(anaBoard.denials.map((d) => d.code)).toContain('PRIVATE_IDEATION'));

    expect(await command({ action: 'reveal' })).toMatchObject({ ok: true, state: { privateIdeation: false } });
    await vi.waitFor(() => expect(betoBoard.doc.getMap('ideas').size).toBe(3));
    for (const [i, id] of ids.entries()) {
      const idea = betoBoard.doc.getMap('ideas').get(id) as Y.Map<unknown>;
      expect(idea.toJSON()).toMatchObject({ text: `Privada ${i}`, authorId: ana.participantId, authorName: 'Ana' });
    }
    await vi.waitFor(() => expect(anaPrivate.doc.getMap('ideas').size).toBe(0));
    // The author still owns a revealed idea: she can edit it; Beto cannot.
    const anaAfter = await board(ana.token);
    (anaAfter.doc.getMap('ideas').get(ids[0]!) as Y.Map<unknown>).set('text', 'Privada 0, editada');
    await vi.waitFor(() => expect(ideaText(betoBoard.doc, ids[0]!)).toBe('Privada 0, editada'));
  });

  it('removes an idea, hides one, and removes a participant whose sockets close at once', async () => {
    const ana = await participant('Ana');
    const beto = await participant('Beto');
    const a = await board(ana.token);
    const b = await board(beto.token);
    const sB = await control(beto.token);
    const removed: unknown[] = [];
    sB.on('participant:removed', (info) => removed.push(info));
    const first = postIdea(a.doc, ana.who, { text: 'Fuera de tema', questionId: Q1 });
    const second = postIdea(a.doc, ana.who, { text: 'Revisar', questionId: Q1 });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').size).toBe(2));

    expect(await command({ action: 'remove', ideaId: first })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(first)).toBe(false));
    expect(await command({ action: 'remove', ideaId: first })).toMatchObject({ ok: false, error: { code: 'IDEA_NOT_FOUND' } });
    expect(await command({ action: 'hide', ideaId: second, hidden: true })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(second)).toBe(false));

    expect(await command({ action: 'remove', participantId: beto.participantId })).toMatchObject({ ok: true });
    await vi.waitFor(() => {
      expect(b.closes.map((c) => c.code)).toContain(4401);
      expect(sB.connected).toBe(false);
    });
    expect(removed).toHaveLength(1);
    await expect(connectControl(server.url, beto.token)).rejects.toThrow(/unauthorized/);
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${beto.token}` } })).status).toBe(401);
  });

  it('focuses everyone on a question of the challenge and turns follow on', async () => {
    expect(await command({ action: 'focus', questionId: 'desafio-6-p3' })).toMatchObject({ ok: true, state: { focusQuestionId: 'desafio-6-p3' } });
    expect(await command({ action: 'focus', questionId: 'desafio-1-p1' })).toMatchObject({ ok: false, error: { code: 'QUESTION_NOT_FOUND' } });
    expect(await command({ action: 'follow', on: true })).toMatchObject({ ok: true, state: { follow: true } });
  });

  it('gives the control room every board with its state and live figures', async () => {
    const ana = await participant('Ana');
    const watch = await facilitator.emitWithAck('workshop:watch', {} as never);
    expect(watch).toMatchObject({ ok: true });
    if (!watch.ok) return;
    expect(watch.states).toHaveLength(2);
    expect(watch.stats.map((s) => s.ideas)).toEqual([0, 0]);
    const stats: { boardId: string; ideas: number; online: number }[] = [];
    facilitator.on('board:stats', (s) => stats.push(s));
    const a = await board(ana.token);
    postIdea(a.doc, ana.who, { text: 'Una', questionId: Q1 });
    await vi.waitFor(() => expect(stats.filter((x) => x.boardId === boardId).at(-1)).toMatchObject({ boardId, ideas: 1, online: 1 }));
    const s = await control(ana.token);
    expect(await s.emitWithAck('workshop:watch', {} as never)).toMatchObject({ ok: false, error: { code: 'FACILITATOR_ONLY' } });
  });
});
