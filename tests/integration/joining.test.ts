import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JoiningState } from '../../server/src/realtime/events.ts';
import { MAX_WAITING_PER_WORKSHOP } from '../../server/src/routes/api/joining.ts';
import { connectBoard, connectControl, createWorkshop, join, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  setCookie: string[];
}

/** One browser: keeps the cookies the server sets, as a browser does (Node's fetch does not). */
function browser(base: () => string) {
  const jar = new Map<string, string>();
  return {
    async send(path: string, init: { method?: string; body?: unknown; bearer?: string } = {}): Promise<Answer> {
      const res = await fetch(base() + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
          ...(jar.size > 0 ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {})
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body)
      });
      const setCookie = res.headers.getSetCookie();
      for (const c of setCookie) {
        const [pair] = c.split(';');
        const at = pair!.indexOf('=');
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      return { status: res.status, body: (await res.json()) as Record<string, unknown>, setCookie };
    },
    join(code: string, name = 'Ana') {
      return this.send(`/api/workshops/${code}/join`, { body: { name, sector: 'comunidad', comuna: 'Ovalle' } });
    }
  };
}

describe('who may join a workshop', () => {
  let dir: string;
  let server: TestServer;
  let ws: Awaited<ReturnType<typeof createWorkshop>>;
  let facilitator: ControlSocket;
  const sockets: ControlSocket[] = [];
  const boards: BoardClient[] = [];

  const control = async (token: string) => {
    const s = await connectControl(server.url, token);
    sockets.push(s);
    return s;
  };
  /** The facilitator's control room: watches the workshop and records every joining state it is sent. */
  const controlRoom = async () => {
    const s = await control(ws.facilitatorToken);
    const seen: JoiningState[] = [];
    s.on('joining:state', (state) => seen.push(state));
    const watched = await s.emitWithAck('workshop:watch', {} as never);
    expect(watched).toMatchObject({ ok: true });
    return { socket: s, seen, initial: watched.ok ? watched.joining : null };
  };
  const setPolicy = (policy: string) => facilitator.emitWithAck('joining:set', { policy } as never);
  const decide = (requestId: unknown, approve: boolean) => facilitator.emitWithAck('joining:decide', { requestId, approve } as never);
  const participants = () => (server.app.sqlite.prepare('SELECT count(*) AS n FROM participants').get() as { n: number }).n;
  const answerOf = (b: ReturnType<typeof browser>, pending: Answer['body']) =>
    b.send(`/api/workshops/${ws.code}/join-requests/${String(pending.requestId)}`, { bearer: String(pending.secret) });

  beforeEach(async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'minga-joining-'));
    server = await startServer({}, dir);
    ws = await createWorkshop(server.url);
    facilitator = await control(ws.facilitatorToken);
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const b of boards.splice(0)) b.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes joining with a clear 403 that stores nothing, and reopens it; people already in stay in', async () => {
    const ana = await join(server.url, ws.code, { name: 'Ana' });
    const room = await controlRoom();
    expect(room.initial).toEqual({ policy: 'open', waiting: [] });

    expect(await setPolicy('closed')).toMatchObject({ ok: true, joining: { policy: 'closed', waiting: [] } });
    await vi.waitFor(() => expect(room.seen.at(-1)).toMatchObject({ policy: 'closed' }));
    expect((await fetch(`${server.url}/api/workshops/${ws.code}`).then((r) => r.json())) as object).toMatchObject({ joining: 'closed' });
    const before = participants();
    const refused = await browser(() => server.url).join(ws.code, 'Beto');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'JOINING_CLOSED',
      message: expect.stringMatching(/cerró la inscripción/),
      messageEn: expect.stringMatching(/closed joining/)
    });
    expect(participants()).toBe(before);
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${ana.token}` } })).status).toBe(200);

    expect(await setPolicy('open')).toMatchObject({ ok: true, joining: { policy: 'open' } });
    expect((await browser(() => server.url).join(ws.code, 'Beto')).status).toBe(201);
  });

  it('refuses joining commands from participants and malformed ones, changing nothing', async () => {
    const ana = await join(server.url, ws.code);
    const s = await control(ana.token);
    expect(await s.emitWithAck('joining:set', { policy: 'closed' })).toMatchObject({ ok: false, error: { code: 'FACILITATOR_ONLY' } });
    expect(await s.emitWithAck('joining:decide', { requestId: 'x', approve: true })).toMatchObject({ ok: false, error: { code: 'FACILITATOR_ONLY' } });
    for (const bad of ['shut', '', null, 42]) {
      expect(await setPolicy(bad as string)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/no válidos/) } });
    }
    expect(await facilitator.emitWithAck('joining:set', { policy: 'closed', extra: 1 } as never)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await decide('x'.repeat(65), true)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await decide('nosuchrequest', true)).toMatchObject({ ok: false, error: { code: 'JOIN_REQUEST_NOT_FOUND' } });
    expect(await server.app.joining.policy(ws.workshopId)).toBe('open');
  });

  it('puts joiners on a waiting list the control room sees live; approving lets one in, refusing bars the other browser', async () => {
    const room = await controlRoom();
    expect(await setPolicy('approval')).toMatchObject({ ok: true, joining: { policy: 'approval' } });
    const carla = browser(() => server.url);
    const dario = browser(() => server.url);
    const before = participants();

    const pending = await carla.join(ws.code, 'Carla');
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'pending', requestId: expect.any(String), secret: expect.any(String) });
    expect(participants()).toBe(before);
    await vi.waitFor(() => expect(room.seen.at(-1)?.waiting).toEqual([expect.objectContaining({ id: pending.body.requestId, name: 'Carla', sector: 'comunidad', comuna: 'Ovalle' })]));
    expect((await answerOf(carla, pending.body)).body).toEqual({ status: 'pending' });
    // Only the holder of the secret reads the answer.
    expect((await answerOf(carla, { ...pending.body, secret: 'guess' })).status).toBe(404);
    expect((await carla.send(`/api/workshops/${ws.code}/join-requests/${String(pending.body.requestId)}`)).status).toBe(404);

    // Asking again from the same browser replaces the request instead of queueing twice.
    const again = await carla.join(ws.code, 'Carla Díaz');
    expect(again.status).toBe(202);
    await vi.waitFor(() => expect(room.seen.at(-1)?.waiting.map((w) => w.name)).toEqual(['Carla Díaz']));
    expect((await answerOf(carla, pending.body)).status).toBe(404);

    const darioPending = await dario.join(ws.code, 'Darío');
    await vi.waitFor(() => expect(room.seen.at(-1)?.waiting.map((w) => w.name)).toEqual(['Carla Díaz', 'Darío']));

    expect(await decide(again.body.requestId, true)).toMatchObject({ ok: true, joining: { waiting: [expect.objectContaining({ name: 'Darío' })] } });
    const approved = await answerOf(carla, again.body);
    expect(approved.body).toMatchObject({ status: 'approved', token: expect.any(String), participantId: expect.any(String) });
    const token = String(approved.body.token);
    expect(await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({ name: 'Carla Díaz', role: 'participant' });
    const b = connectBoard(server.wsUrl, ws.boards[0]!.id, token);
    boards.push(b);
    await b.synced;
    expect(participants()).toBe(before + 1);

    expect(await decide(darioPending.body.requestId, false)).toMatchObject({ ok: true, joining: { waiting: [] } });
    await vi.waitFor(() => expect(room.seen.at(-1)?.waiting).toEqual([]));
    expect((await answerOf(dario, darioPending.body)).body).toMatchObject({ status: 'refused', message: expect.stringMatching(/no aprobó/), messageEn: expect.stringMatching(/did not approve/) });
    expect(await decide(darioPending.body.requestId, true)).toMatchObject({ ok: false, error: { code: 'JOIN_REQUEST_NOT_FOUND' } });
    const retry = await dario.join(ws.code, 'Darío');
    expect(retry.status).toBe(403);
    expect(retry.body).toMatchObject({ code: 'JOIN_REFUSED' });
    expect(participants()).toBe(before + 1);
  });

  it("bars a removed participant's browser from joining again, and not other browsers", async () => {
    const ana = browser(() => server.url);
    const first = await ana.join(ws.code, 'Ana');
    expect(first.status).toBe(201);
    const cookie = first.setCookie.find((c) => c.startsWith('minga_device='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/workshops/);

    const boardId = ws.boards[0]!.id;
    expect(await facilitator.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true });
    const removed = await facilitator.emitWithAck('session:command', { boardId, action: 'remove', participantId: String(first.body.participantId) });
    expect(removed).toMatchObject({ ok: true });

    const rejoin = await ana.join(ws.code, 'Ana otra vez');
    expect(rejoin.status).toBe(403);
    expect(rejoin.body).toMatchObject({
      code: 'DEVICE_REMOVED',
      message: expect.stringMatching(/te retiró de este taller.*este navegador/),
      messageEn: expect.stringMatching(/removed you.*this browser/)
    });
    // Also while the workshop asks for approval: no waiting-list entry for a barred browser.
    await setPolicy('approval');
    expect((await ana.join(ws.code)).body).toMatchObject({ code: 'DEVICE_REMOVED' });
    expect(await server.app.joining.waitingCount(ws.workshopId)).toBe(0);
    await setPolicy('open');
    expect((await browser(() => server.url).join(ws.code, 'Beto')).status).toBe(201);
  });

  it('bounds the waiting list', async () => {
    await setPolicy('approval');
    for (let i = 0; i < MAX_WAITING_PER_WORKSHOP; i++) {
      await server.app.joining.ask({ workshopId: ws.workshopId, name: `P${i}`, sector: 'comunidad', comuna: 'Ovalle', deviceId: `device${i}` }, MAX_WAITING_PER_WORKSHOP);
    }
    const full = await browser(() => server.url).join(ws.code);
    expect(full.status).toBe(403);
    expect(full.body).toMatchObject({ code: 'WAITING_LIST_FULL', message: expect.stringMatching(/llena/) });
    expect(await server.app.joining.waitingCount(ws.workshopId)).toBe(MAX_WAITING_PER_WORKSHOP);
  });

  it('keeps the policy, the waiting list and the barred browsers across a restart', async () => {
    const ana = browser(() => server.url);
    const anaJoined = await ana.join(ws.code, 'Ana');
    const boardId = ws.boards[0]!.id;
    await facilitator.emitWithAck('board:join', { boardId });
    await facilitator.emitWithAck('session:command', { boardId, action: 'remove', participantId: String(anaJoined.body.participantId) });
    await setPolicy('approval');
    const carla = browser(() => server.url);
    const pending = await carla.join(ws.code, 'Carla');
    expect(pending.status).toBe(202);

    for (const s of sockets.splice(0)) s.close();
    await server.close();
    server = await startServer({}, dir);
    facilitator = await control(ws.facilitatorToken);

    const room = await controlRoom();
    expect(room.initial).toMatchObject({ policy: 'approval', waiting: [expect.objectContaining({ name: 'Carla' })] });
    expect((await answerOf(carla, pending.body)).body).toEqual({ status: 'pending' });
    expect((await ana.join(ws.code)).body).toMatchObject({ code: 'DEVICE_REMOVED' });
    expect(await decide(pending.body.requestId, true)).toMatchObject({ ok: true });
    expect((await answerOf(carla, pending.body)).body).toMatchObject({ status: 'approved' });
  });
});
