import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';

describe('control plane: board:join and vote:cast', () => {
  let server: TestServer;
  let boardId: string;
  let code: string;
  let workshopId: string;
  let facilitatorToken: string;
  const sockets: ControlSocket[] = [];
  const boards: BoardClient[] = [];

  const control = async (token: string) => {
    const s = await connectControl(server.url, token);
    sockets.push(s);
    return s;
  };

  beforeEach(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url);
    boardId = ws.boards[0]!.id;
    code = ws.code;
    workshopId = ws.workshopId;
    facilitatorToken = ws.facilitatorToken;
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const b of boards.splice(0)) b.destroy();
    await server.close();
  });

  async function boardWithIdea() {
    const ana = await join(server.url, code, { name: 'Ana', sector: 'universidad' });
    const board = connectBoard(server.wsUrl, boardId, ana.token);
    boards.push(board);
    await board.synced;
    const ideaId = postIdea(board.doc, { id: ana.participantId, name: 'Ana', sector: 'universidad' }, { text: 'Idea', questionId: Q1 });
    const clusterId = createCluster(board.doc, { title: 'Grupo', questionId: Q1 });
    return { ana, board, ideaId, clusterId };
  }

  it('answers board:join with the session state and the vote allowance', async () => {
    const ana = await join(server.url, code);
    const s = await control(ana.token);
    const ack = await s.emitWithAck('board:join', { boardId });
    expect(ack).toMatchObject({ ok: true, state: { boardId, phase: 'abierto', locked: false }, votes: { budget: 5, remaining: 5 } });
    if (ack.ok) expect(Math.abs(ack.state.serverNow - Date.now())).toBeLessThan(5_000);
  });

  it('enforces the budget of 5 dots and lets a participant withdraw one', async () => {
    const { ana, board, ideaId, clusterId } = await boardWithIdea();
    const s = await control(ana.token);
    await s.emitWithAck('board:join', { boardId });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').has(ideaId)).toBe(true));

    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ack = await s.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 });
      if (ack.ok) remaining.push(ack.remaining);
    }
    for (let i = 0; i < 2; i++) {
      const ack = await s.emitWithAck('vote:cast', { boardId, targetId: clusterId, delta: 1 });
      if (ack.ok) remaining.push(ack.remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const sixth = await s.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 });
    expect(sixth).toMatchObject({ ok: false, error: { code: 'NO_DOTS_LEFT' } });

    // The server wrote the votes map and every client sees it.
    await vi.waitFor(() => {
      expect(board.doc.getMap('votes').get(`${ideaId}|${ana.participantId}`)).toBe(3);
      expect(board.doc.getMap('votes').get(`${clusterId}|${ana.participantId}`)).toBe(2);
    });

    expect(await s.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: -1 })).toEqual({ ok: true, remaining: 1 });
    await vi.waitFor(() => expect(board.doc.getMap('votes').get(`${ideaId}|${ana.participantId}`)).toBe(2));
    const again = await s.emitWithAck('board:join', { boardId });
    expect(again).toMatchObject({ ok: true, votes: { remaining: 1 } });
  });

  it('refuses withdrawing a dot that is not there, voting on nothing, and malformed payloads', async () => {
    const { ana, ideaId } = await boardWithIdea();
    const s = await control(ana.token);
    await s.emitWithAck('board:join', { boardId });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').has(ideaId)).toBe(true));
    expect(await s.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: -1 })).toMatchObject({
      ok: false,
      error: { code: 'NO_DOT_TO_WITHDRAW' }
    });
    expect(await s.emitWithAck('vote:cast', { boardId, targetId: 'nope', delta: 1 })).toMatchObject({ ok: false, error: { code: 'TARGET_NOT_FOUND' } });
    for (const bad of [{ boardId, targetId: ideaId, delta: 2 }, { boardId }, null, 'x', { boardId, targetId: ideaId, delta: 1, extra: true }]) {
      expect(await s.emitWithAck('vote:cast', bad as never)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await s.emitWithAck('board:join', { boardId: '../../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const votes = server.app.rooms.peek(boardId)!.doc.getMap('votes');
    expect(votes.size).toBe(0);
  });

  it('refuses votes from a socket that has not joined the board, and from the facilitator', async () => {
    const { ana, ideaId } = await boardWithIdea();
    const s = await control(ana.token);
    expect(await s.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    const f = await control(facilitatorToken);
    expect(await f.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, votes: { budget: 0, remaining: 0 } });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').has(ideaId)).toBe(true));
    expect(await f.emitWithAck('vote:cast', { boardId, targetId: ideaId, delta: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VOTE_PARTICIPANTS_ONLY' }
    });
  });

  it('refuses a board of another workshop', async () => {
    const other = await createWorkshop(server.url);
    const ana = await join(server.url, code);
    const s = await control(ana.token);
    expect(await s.emitWithAck('board:join', { boardId: other.boards[0]!.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a forged or expired token at the handshake', async () => {
    const ana = await join(server.url, code);
    await expect(connectControl(server.url, ana.token.slice(0, -4) + 'AAAA')).rejects.toThrow(/unauthorized/);
    await expect(connectControl(server.url, 'not-a-token')).rejects.toThrow(/unauthorized/);
    // Signed for Ana in her own workshop, so only its expiry can be why it is refused.
    const claims = { role: 'participant', sub: ana.participantId, wid: workshopId, code } as const;
    const valid = await control(server.app.tokens.sign(claims, 60_000));
    expect(valid.connected).toBe(true);
    await expect(connectControl(server.url, server.app.tokens.sign(claims, -1000))).rejects.toThrow(/unauthorized/);
  });
});
