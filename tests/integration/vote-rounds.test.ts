import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { api, connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import type { SessionCommand } from '../../server/src/realtime/events.ts';

const Q1 = 'desafio-6-p1';

type Command = SessionCommand extends infer C ? (C extends { boardId: string } ? Omit<C, 'boardId'> : never) : never;

describe('voting rounds, blind voting and "Terminar sesión"', () => {
  let server: TestServer;
  let ws: Awaited<ReturnType<typeof createWorkshop>>;
  let boardId: string;
  let fac: ControlSocket;
  const sockets: ControlSocket[] = [];
  const boards: BoardClient[] = [];

  const control = async (token: string) => {
    const s = await connectControl(server.url, token);
    sockets.push(s);
    return s;
  };
  const command = (cmd: Command) => fac.emitWithAck('session:command', { boardId, ...cmd } as SessionCommand);
  const participant = async (name: string) => {
    const p = await join(server.url, ws.code, { name, sector: name === 'Ana' ? 'universidad' : 'comunidad' });
    const socket = await control(p.token);
    return { ...p, socket, who: { id: p.participantId, name, sector: name === 'Ana' ? 'universidad' : 'comunidad' } };
  };
  const board = async (token: string) => {
    const b = connectBoard(server.wsUrl, boardId, token);
    boards.push(b);
    await b.synced;
    return b;
  };
  const cast = (s: ControlSocket, targetId: string, delta: 1 | -1 = 1) => s.emitWithAck('vote:cast', { boardId, targetId, delta });
  /** Three ideas and a group on the open board, by Carla; the facilitator's board client too. */
  async function content() {
    const carla = await join(server.url, ws.code, { name: 'Carla', sector: 'sector_publico' });
    const carlaBoard = await board(carla.token);
    const me = { id: carla.participantId, name: 'Carla', sector: 'sector_publico' };
    const ideas = [1, 2, 3].map((n) => postIdea(carlaBoard.doc, me, { text: `Idea ${n}`, questionId: Q1 }));
    const clusterId = createCluster(carlaBoard.doc, { title: 'Grupo A', questionId: Q1 });
    const facBoard = await board(ws.facilitatorToken);
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('clusters').has(clusterId)).toBe(true));
    return { ideas, clusterId, facBoard };
  }
  /** Starts a session and goes straight to its voting phase. */
  async function toVoting(options: { blindVoting?: boolean; keepOpenVotes?: boolean } = {}) {
    const started = await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0, votacion: 5 }, ...options });
    expect(started).toMatchObject({ ok: true });
    await command({ action: 'next' });
    const voting = await command({ action: 'next' });
    expect(voting).toMatchObject({ ok: true, state: { phase: 'votacion' } });
    return voting.ok ? voting.state : null;
  }

  beforeEach(async () => {
    server = await startServer();
    ws = await createWorkshop(server.url);
    boardId = ws.boards[0]!.id;
    fac = await control(ws.facilitatorToken);
    expect(await fac.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const b of boards.splice(0)) b.destroy();
    await server.close();
  });

  it("the session's voting phase opens a round with a fresh budget: open-board dots no longer count (the defect)", async () => {
    const { ideas, clusterId } = await content();
    const ana = await participant('Ana');
    await ana.socket.emitWithAck('board:join', { boardId });
    for (let i = 0; i < 3; i++) expect(await cast(ana.socket, ideas[0]!)).toMatchObject({ ok: true });
    for (let i = 0; i < 2; i++) expect(await cast(ana.socket, clusterId)).toMatchObject({ ok: true });
    expect(await cast(ana.socket, ideas[1]!)).toMatchObject({ ok: false, error: { code: 'NO_DOTS_LEFT' } });

    const state = await toVoting();
    expect(state?.round).toMatchObject({ number: 2, origin: 'votacion', blind: false });

    // "Reparte tus 5 votos" is true: the join ack and the first cast count from 5.
    expect(await ana.socket.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, votes: { budget: 5, remaining: 5 } });
    expect(await cast(ana.socket, ideas[2]!)).toMatchObject({ ok: true, remaining: 4 });
    const votes = server.app.rooms.peek(boardId)!.doc.getMap<number>('votes');
    expect(votes.toJSON()).toEqual({ [`${ideas[2]}|${ana.participantId}`]: 1 });

    // The open board's round is kept, never mixed into the new one.
    const listed = await fac.emitWithAck('rounds:list', { boardId });
    expect(listed).toMatchObject({ ok: true, rounds: [{ number: 1, origin: 'abierto', blind: false, voters: 1, dots: 5, budget: 5 }] });
    if (listed.ok) {
      expect(listed.rounds[0]!.results.map((r) => [r.label, r.kind, r.dots])).toEqual([
        ['Idea 1', 'idea', 3],
        ['Grupo A', 'cluster', 2]
      ]);
    }
  });

  it('keeps the open board\'s dots when the facilitator chooses "mantener los votos"', async () => {
    const { ideas } = await content();
    const ana = await participant('Ana');
    await ana.socket.emitWithAck('board:join', { boardId });
    for (let i = 0; i < 5; i++) await cast(ana.socket, ideas[0]!);
    const state = await toVoting({ keepOpenVotes: true });
    expect(state?.round).toMatchObject({ number: 1, origin: 'abierto' });
    expect(await ana.socket.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, votes: { remaining: 0 } });
    expect((await fac.emitWithAck('rounds:list', { boardId })) as unknown).toEqual({ ok: true, rounds: [] });
    // Blind and kept cannot go together: a blind round starts afresh.
    await command({ action: 'end' });
    expect(await command({ action: 'start', blindVoting: true, keepOpenVotes: true })).toMatchObject({ ok: false, error: { code: 'BLIND_NEEDS_NEW_ROUND' } });
  });

  it('"Nueva ronda" in the voting phase closes the round; the history and every export show each round', async () => {
    const { ideas } = await content();
    const ana = await participant('Ana');
    await ana.socket.emitWithAck('board:join', { boardId });
    expect(await command({ action: 'round' })).toMatchObject({ ok: false, error: { code: 'NOT_VOTING' } });
    await cast(ana.socket, ideas[1]!);
    await toVoting();
    await cast(ana.socket, ideas[0]!);
    await cast(ana.socket, ideas[0]!);
    expect(await command({ action: 'round' })).toMatchObject({ ok: true, state: { round: { number: 3 } } });
    expect(await ana.socket.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, votes: { remaining: 5 } });
    await cast(ana.socket, ideas[2]!);

    const listed = await fac.emitWithAck('rounds:list', { boardId });
    expect(listed.ok && listed.rounds.map((r) => [r.number, r.origin, r.dots, r.results[0]!.label])).toEqual([
      [1, 'abierto', 1, 'Idea 2'],
      [2, 'votacion', 2, 'Idea 1']
    ]);
    // Participants do not list rounds (the control room does); the exports show them to all.
    expect(await ana.socket.emitWithAck('rounds:list', { boardId })).toMatchObject({ ok: false, error: { code: 'FACILITATOR_ONLY' } });

    const json = await (await fetch(`${server.url}/api/boards/${boardId}/export.json`, { headers: { authorization: `Bearer ${ana.token}` } })).json();
    expect(json.rounds.map((r: { number: number; dots: number }) => [r.number, r.dots])).toEqual([
      [1, 1],
      [2, 2]
    ]);
    // The current round is the board's ranking.
    expect(json.ideas.find((i: { text: string }) => i.text === 'Idea 3').votes).toBe(1);
    expect(json.ideas.find((i: { text: string }) => i.text === 'Idea 1').votes).toBe(0);
    const md = await (await fetch(`${server.url}/api/boards/${boardId}/export.md`, { headers: { authorization: `Bearer ${ana.token}` } })).text();
    expect(md).toContain('## Rondas de votación');
    expect(md).toMatch(/Ronda 2.*Votación/);
    expect(md).toContain('Idea 1');
    const docx = await fetch(`${server.url}/api/boards/${boardId}/export.docx`, { headers: { authorization: `Bearer ${ana.token}` } });
    expect(docx.status).toBe(200);
  });

  it('a blind round sends no one else\'s dots to a participant until "Revelar votos"', async () => {
    const { ideas, facBoard } = await content();
    const ana = await participant('Ana');
    const bea = await participant('Bea');
    const anaBoard = await board(ana.token);
    // Everything Ana's browser receives from now on, on both planes.
    const anaUpdates: Uint8Array[] = [];
    anaBoard.doc.on('update', (u: Uint8Array) => anaUpdates.push(u));
    const anaMessages: string[] = [];
    ana.socket.onAny((event, ...args) => anaMessages.push(JSON.stringify([event, args])));
    const anaSecond = await control(ana.token);
    const secondMessages: string[] = [];
    anaSecond.onAny((event, ...args) => secondMessages.push(JSON.stringify([event, args])));
    await ana.socket.emitWithAck('board:join', { boardId });
    await anaSecond.emitWithAck('board:join', { boardId });
    await bea.socket.emitWithAck('board:join', { boardId });
    expect(await fac.emitWithAck('workshop:watch', {})).toMatchObject({ ok: true });
    const stats: number[] = [];
    fac.on('board:stats', (s) => s.boardId === boardId && stats.push(s.votes));

    const state = await toVoting({ blindVoting: true });
    expect(state?.round).toMatchObject({ blind: true, revealed: false });
    const acks = [];
    acks.push(await cast(bea.socket, ideas[0]!), await cast(bea.socket, ideas[0]!), await cast(bea.socket, ideas[1]!));
    acks.push(await cast(ana.socket, ideas[0]!));
    expect(acks.at(-1)).toEqual({ ok: true, remaining: 4, mine: { [ideas[0]!]: 1 } });
    expect(acks[2]).toEqual({ ok: true, remaining: 2, mine: { [ideas[0]!]: 2, [ideas[1]!]: 1 } });
    // Ana's other tab learns her own dots, and a fresh join carries them.
    await vi.waitFor(() => expect(secondMessages.some((m) => m.includes('votes:mine'))).toBe(true));
    expect(await ana.socket.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, votes: { remaining: 4, mine: { [ideas[0]!]: 1 } } });
    // The facilitator sees progress (dots cast), no totals: the board doc holds none.
    await vi.waitFor(() => expect(stats.at(-1)).toBe(4));
    expect(facBoard.doc.getMap('votes').size).toBe(0);
    expect(server.app.rooms.peek(boardId)!.doc.getMap('votes').size).toBe(0);
    // Withdrawing and the budget work on the ballots.
    expect(await cast(bea.socket, ideas[1]!, -1)).toEqual({ ok: true, remaining: 3, mine: { [ideas[0]!]: 2 } });
    expect(await cast(bea.socket, ideas[2]!, -1)).toMatchObject({ ok: false, error: { code: 'NO_DOT_TO_WITHDRAW' } });

    // Nothing Ana received names Bea's dots: no vote key of hers in any doc update, no message with her id.
    const received = Buffer.concat(anaUpdates.map((u) => Buffer.from(u)));
    expect(received.includes(Buffer.from(`|${bea.participantId}`))).toBe(false);
    expect(anaBoard.doc.getMap('votes').size).toBe(0);
    expect([...anaMessages, ...secondMessages].filter((m) => m.includes(bea.participantId))).toEqual([]);
    expect(anaMessages.length + secondMessages.length).toBeGreaterThan(0);

    // The reveal writes the totals onto the board, for everyone.
    expect(await command({ action: 'revealVotes' })).toMatchObject({ ok: true, state: { round: { blind: true, revealed: true } } });
    await vi.waitFor(() =>
      expect(anaBoard.doc.getMap('votes').toJSON()).toEqual({
        [`${ideas[0]}|${bea.participantId}`]: 2,
        [`${ideas[0]}|${ana.participantId}`]: 1
      })
    );
    expect(await command({ action: 'revealVotes' })).toMatchObject({ ok: false, error: { code: 'NOT_BLIND' } });
    // After the reveal, votes go onto the board as usual.
    expect(await cast(ana.socket, ideas[2]!)).toEqual({ ok: true, remaining: 3 });
    await vi.waitFor(() => expect(anaBoard.doc.getMap('votes').get(`${ideas[2]}|${ana.participantId}`)).toBe(1));
    expect(Y.encodeStateAsUpdate(anaBoard.doc).length).toBeGreaterThan(0);
  });

  it("a blind round's dots survive a restart, still off the board, and the reveal after it shows them", async () => {
    // This test's own data folder, so the server can be started again on it.
    await server.close();
    const dir = mkdtempSync(joinPath(tmpdir(), 'minga-rounds-'));
    try {
      server = await startServer({}, dir);
      ws = await createWorkshop(server.url);
      boardId = ws.boards[0]!.id;
      fac = await control(ws.facilitatorToken);
      await fac.emitWithAck('board:join', { boardId });
      const { ideas } = await content();
      const ana = await participant('Ana');
      await ana.socket.emitWithAck('board:join', { boardId });
      await toVoting({ blindVoting: true });
      await cast(ana.socket, ideas[1]!);
      await cast(ana.socket, ideas[1]!);
      for (const s of sockets.splice(0)) s.close();
      for (const b of boards.splice(0)) b.destroy();
      await server.close();

      server = await startServer({}, dir);
      fac = await control(ws.facilitatorToken);
      await fac.emitWithAck('board:join', { boardId });
      const again = await control(ana.token);
      expect(await again.emitWithAck('board:join', { boardId })).toMatchObject({
        ok: true,
        state: { round: { number: 2, blind: true, revealed: false } },
        votes: { remaining: 3, mine: { [ideas[1]!]: 2 } }
      });
      const anaBoard = await board(ana.token);
      expect(anaBoard.doc.getMap('votes').size).toBe(0);
      expect(await command({ action: 'revealVotes' })).toMatchObject({ ok: true });
      await vi.waitFor(() => expect(anaBoard.doc.getMap('votes').toJSON()).toEqual({ [`${ideas[1]}|${ana.participantId}`]: 2 }));
    } finally {
      for (const s of sockets.splice(0)) s.close();
      for (const b of boards.splice(0)) b.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      // afterEach closes a server: give it an empty one.
      server = await startServer();
    }
  });

  it('a blind round closed without a reveal goes to the history with its results', async () => {
    const { ideas } = await content();
    const ana = await participant('Ana');
    await ana.socket.emitWithAck('board:join', { boardId });
    await toVoting({ blindVoting: true });
    await cast(ana.socket, ideas[1]!);
    expect(await command({ action: 'round', blind: false })).toMatchObject({ ok: true, state: { round: { number: 3, blind: false } } });
    const listed = await fac.emitWithAck('rounds:list', { boardId });
    expect(listed).toMatchObject({ ok: true, rounds: [{ number: 2, blind: true, dots: 1, results: [{ label: 'Idea 2', dots: 1 }] }] });
    expect(await server.app.votes.ballots(boardId)).toEqual([]);
  });

  it('a round that cannot be stored changes nothing: the phase, the dots and the history stay as they were', async () => {
    const { ideas } = await content();
    const ana = await participant('Ana');
    await ana.socket.emitWithAck('board:join', { boardId });
    await cast(ana.socket, ideas[0]!);
    await command({ action: 'start', plan: { ideacion: 0, agrupacion: 0 } });
    await command({ action: 'next' });
    const outside = new Database(joinPath(server.dir, 'minga.db'));
    outside.exec(`CREATE TRIGGER fault_round BEFORE INSERT ON vote_rounds BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END`);
    try {
      expect(await command({ action: 'next' })).toMatchObject({ ok: false, error: { code: 'STORAGE_FAILED' } });
    } finally {
      outside.exec('DROP TRIGGER fault_round');
      outside.close();
    }
    expect(server.app.sessions.get(boardId)).toMatchObject({ phase: 'agrupacion', round: { number: 1 } });
    const board = await server.app.rooms.acquire(boardId);
    try {
      expect(board.doc.getMap('votes').toJSON()).toEqual({ [`${ideas[0]}|${ana.participantId}`]: 1 });
    } finally {
      server.app.rooms.release(board);
    }
    expect(await fac.emitWithAck('rounds:list', { boardId })).toEqual({ ok: true, rounds: [] });
    // Once the disk works again, the same command opens the round.
    expect(await command({ action: 'next' })).toMatchObject({ ok: true, state: { phase: 'votacion', round: { number: 2 } } });
  });

  it("restoring a checkpoint of an earlier round does not bring that round's dots into the current one", async () => {
    const { ideas } = await content();
    const ana = await participant('Ana');
    await ana.socket.emitWithAck('board:join', { boardId });
    await cast(ana.socket, ideas[0]!);
    await cast(ana.socket, ideas[0]!);
    await toVoting();
    await cast(ana.socket, ideas[2]!);
    const list = await api<{ checkpoints: { id: number; phase: string }[] }>(server.url, `/api/boards/${boardId}/checkpoints`, { token: ws.facilitatorToken });
    const ideation = list.body.checkpoints.find((c) => c.phase === 'ideacion')!;
    const restored = await api(server.url, `/api/boards/${boardId}/checkpoints/${ideation.id}/restore`, { method: 'POST', token: ws.facilitatorToken });
    expect(restored.status).toBe(200);
    expect(server.app.rooms.peek(boardId)!.doc.getMap('votes').toJSON()).toEqual({ [`${ideas[2]}|${ana.participantId}`]: 1 });
  });

  it('"Terminar sesión" ends the session and "Deshacer" brings it back as it was, once', async () => {
    const ana = await participant('Ana');
    await command({ action: 'start', plan: { ideacion: 10 } });
    await command({ action: 'lock' });
    await command({ action: 'pause' });
    const paused = await command({ action: 'resume' });
    const leftBefore = paused.ok ? paused.state.remainingMs! : 0;

    // Participants cannot end or restore.
    expect(await ana.socket.emitWithAck('session:command', { boardId, action: 'end' })).toMatchObject({ ok: false, error: { code: 'FACILITATOR_ONLY' } });
    const ended = await command({ action: 'end' });
    expect(ended).toMatchObject({ ok: true, state: { phase: 'abierto', status: 'idle' } });
    const token = ended.ok ? ended.undoToken! : '';
    expect(token).toMatch(/^[\w-]{8,}$/);
    expect(await command({ action: 'restore', undoToken: 'not-the-token' })).toMatchObject({ ok: false, error: { code: 'UNDO_EXPIRED' } });
    expect(await command({ action: 'restore', undoToken: 123 as unknown as string })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

    const restored = await command({ action: 'restore', undoToken: token });
    expect(restored).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'running', locked: true } });
    const left = restored.ok ? restored.state.remainingMs! : 0;
    expect(left).toBeLessThanOrEqual(leftBefore);
    expect(left).toBeGreaterThan(leftBefore - 5_000);
    expect(server.app.sessions.get(boardId)).toMatchObject({ phase: 'ideacion', locked: true });
    expect(await command({ action: 'restore', undoToken: token })).toMatchObject({ ok: false, error: { code: 'UNDO_EXPIRED' } });

    // A paused session comes back paused; a session started since the end cannot be undone.
    await command({ action: 'pause' });
    const again = await command({ action: 'end' });
    await command({ action: 'start' });
    expect(await command({ action: 'restore', undoToken: again.ok ? again.undoToken! : '' })).toMatchObject({ ok: false, error: { code: 'UNDO_EXPIRED' } });
    await command({ action: 'pause' });
    const third = await command({ action: 'end' });
    expect(await command({ action: 'restore', undoToken: third.ok ? third.undoToken! : '' })).toMatchObject({ ok: true, state: { phase: 'ideacion', status: 'paused' } });
  });

  it('the undo offer ends after its time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await command({ action: 'start' });
      const ended = await command({ action: 'end' });
      vi.setSystemTime(Date.now() + 13_000);
      expect(await command({ action: 'restore', undoToken: ended.ok ? ended.undoToken! : '' })).toMatchObject({ ok: false, error: { code: 'UNDO_EXPIRED' } });
    } finally {
      vi.useRealTimers();
    }
  });
});
