import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../server/src/sync/close-codes.ts';
import { connectBoard, connectControl, createWorkshop, join, type CreatedWorkshop } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * One authorization (server/src/auth/board-access.ts) behind every way of acting on a board: each
 * REST route on a board, the Socket.io events and the content plane's upgrade answer the same
 * people the same way — no token 401, an unknown board 404, another workshop 403, a participant
 * on a facilitator's route 403.
 */
describe('who may act on a board', () => {
  let server: TestServer;
  let ours: CreatedWorkshop;
  let theirs: CreatedWorkshop;
  let participant: string;
  beforeAll(async () => {
    server = await startServer();
    ours = await createWorkshop(server.url);
    theirs = await createWorkshop(server.url);
    participant = (await join(server.url, ours.code)).token;
  });
  afterAll(async () => server.close());

  const boardId = () => ours.boards[0]!.id;
  const ROUTES: { method: string; path: (id: string) => string; body?: unknown; facilitator: boolean }[] = [
    { method: 'PUT', path: (id) => `/api/boards/${id}/team`, body: { teamName: 'Equipo' }, facilitator: true },
    { method: 'GET', path: (id) => `/api/boards/${id}/checkpoints`, facilitator: true },
    { method: 'POST', path: (id) => `/api/boards/${id}/checkpoints/999/restore`, facilitator: true },
    { method: 'GET', path: (id) => `/api/boards/${id}/export.json`, facilitator: false },
    { method: 'GET', path: (id) => `/api/boards/${id}/suggestions?questionId=q1`, facilitator: false }
  ];
  const status = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined
    });
    const json = (await res.json()) as { code?: string };
    return { status: res.status, code: json.code };
  };

  it.each(ROUTES.map((r) => [`${r.method} ${r.path(':boardId')}`, r] as const))('%s: 401, 404, 403 for another workshop or role, then the answer', async (_name, route) => {
    const send = (id: string, token: string | null) => status(route.method, route.path(id), token, route.body);
    expect((await send(boardId(), null)).status).toBe(401);
    expect((await send('nosuchboard', ours.facilitatorToken)).status).toBe(404);
    expect(await send(boardId(), theirs.facilitatorToken)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const asParticipant = await send(boardId(), participant);
    // A participant passes the board check on a member's route (suggestions may still say no by phase).
    if (route.facilitator) expect(asParticipant).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    else expect(asParticipant.code).not.toBe('FORBIDDEN');
    // Past the check: the route itself answers (a missing checkpoint is its own 404).
    const allowed = await send(boardId(), ours.facilitatorToken);
    expect(allowed.code).not.toBe('FORBIDDEN');
    expect(allowed.status).toBeLessThan(500);
  });

  it('refuses board:join and session:command of another workshop, and an unknown board, on the control plane', async () => {
    const socket = await connectControl(server.url, theirs.facilitatorToken);
    const joined = await socket.emitWithAck('board:join', { boardId: boardId() });
    expect(joined).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const command = await socket.emitWithAck('session:command', { boardId: boardId(), action: 'lock' } as never);
    expect(command).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await socket.emitWithAck('board:join', { boardId: 'nosuchboard' })).toMatchObject({ ok: false, error: { code: 'BOARD_NOT_FOUND' } });
    socket.close();
  });

  it('closes the content socket of another workshop with 4403 and of an unknown board with 4404', async () => {
    const foreign = connectBoard(server.wsUrl, boardId(), theirs.facilitatorToken);
    const unknown = connectBoard(server.wsUrl, 'nosuchboard', ours.facilitatorToken);
    await expect.poll(() => [foreign.closes[0]?.code, unknown.closes[0]?.code]).toEqual([CloseCode.Forbidden, CloseCode.NotFound]);
    foreign.destroy();
    unknown.destroy();
  });
});
