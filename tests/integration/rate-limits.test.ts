import { afterEach, describe, expect, it, vi } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode } from '../../server/src/sync/close-codes.ts';
import { apiFrom, connectBoard, connectControl, createWorkshop, join, postIdea } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const QUERY_AWARENESS = new Uint8Array([3]);
const SYNC_STEP1 = (() => {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeSyncStep1(enc, new Y.Doc());
  return encoding.toUint8Array(enc);
})();

/** A bare y-websocket connection that sends exactly what the test tells it to. */
function rawBoardSocket(server: TestServer, boardId: string, token: string, localAddress = '127.0.0.1') {
  const ws = new WebSocket(`${server.wsUrl}/yjs/${boardId}?token=${encodeURIComponent(token)}`, { localAddress });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => {}); // a refused connection reports its close code, which the tests read
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  let step2s = 0;
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 1) step2s++;
  });
  return {
    ws,
    opened,
    closed,
    /** Sends `n` cheap messages (once open, while open). */
    flood(n: number) {
      void opened.then(() => {
        for (let i = 0; i < n && ws.readyState === WebSocket.OPEN; i++) ws.send(QUERY_AWARENESS);
      });
    },
    /** Sends `n` cheap messages, then a sync step 1, and waits for its answer: all were read. */
    async send(n: number) {
      const before = step2s;
      for (let i = 0; i < n; i++) ws.send(QUERY_AWARENESS);
      ws.send(SYNC_STEP1);
      await vi.waitFor(() => expect(step2s).toBeGreaterThan(before));
    },
    close() {
      ws.close();
      return closed;
    }
  };
}

describe('rate limits', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  async function serve(env: Record<string, string>) {
    const server = await startServer(env);
    cleanup.push(() => server.close());
    return server;
  }

  describe('content plane', () => {
    it("keeps a participant's budget across reconnects, and other participants are unaffected", async () => {
      const server = await serve({ MESSAGES_PER_SECOND: '1', MESSAGE_BURST: '30' });
      const ws = await createWorkshop(server.url);
      const boardId = ws.boards[0]!.id;
      const ana = await join(server.url, ws.code, { name: 'Ana' });

      const first = rawBoardSocket(server, boardId, ana.token);
      await first.opened;
      await first.send(20);
      await first.close();

      const second = rawBoardSocket(server, boardId, ana.token);
      second.flood(20);
      expect(await second.closed).toBe(CloseCode.RateLimited);

      // Ben and Carla, on the same board from the same address, go on as before.
      const ben = await join(server.url, ws.code, { name: 'Ben' });
      const carla = await join(server.url, ws.code, { name: 'Carla' });
      const benBoard = connectBoard(server.wsUrl, boardId, ben.token);
      const carlaBoard = connectBoard(server.wsUrl, boardId, carla.token);
      cleanup.push(() => benBoard.destroy(), () => carlaBoard.destroy());
      await Promise.all([benBoard.synced, carlaBoard.synced]);
      const id = postIdea(benBoard.doc, { id: ben.participantId, name: 'Ben', sector: 'comunidad' }, { text: 'Huerta', questionId: 'desafio-6-p1' });
      await vi.waitFor(() => expect(carlaBoard.doc.getMap('ideas').has(id)).toBe(true));
      expect(benBoard.closes).toEqual([]);
    });

    it('shares one budget among all participants of an address; another address is unaffected', async () => {
      const server = await serve({ MESSAGES_PER_SECOND: '1000', MESSAGE_BURST: '1000', IP_MESSAGES_PER_SECOND: '1', IP_MESSAGE_BURST: '40' });
      const ws = await createWorkshop(server.url);
      const boardId = ws.boards[0]!.id;
      const tokens = await Promise.all(['Ana', 'Ben', 'Carla'].map(async (name) => (await join(server.url, ws.code, { name })).token));

      const sockets = tokens.map((token) => rawBoardSocket(server, boardId, token));
      await Promise.all(sockets.map((s) => s.opened));
      await sockets[0]!.send(15);
      await sockets[1]!.send(15);
      sockets[2]!.flood(15);
      expect(await sockets[2]!.closed).toBe(CloseCode.RateLimited);

      const dora = await join(server.url, ws.code, { name: 'Dora' });
      const elsewhere = rawBoardSocket(server, boardId, dora.token, '127.0.0.2');
      cleanup.push(() => elsewhere.close(), () => sockets.forEach((s) => s.ws.close()));
      await elsewhere.opened;
      await elsewhere.send(15);
    });
  });

  describe('control plane', () => {
    it("keeps a participant's budget across reconnects, and other participants are unaffected", async () => {
      const server = await serve({ MESSAGES_PER_SECOND: '1', MESSAGE_BURST: '10' });
      const ws = await createWorkshop(server.url);
      const boardId = ws.boards[0]!.id;
      const ana = await join(server.url, ws.code, { name: 'Ana' });

      const first = await connectControl(server.url, ana.token);
      for (let i = 0; i < 6; i++) expect((await first.emitWithAck('board:join', { boardId })).ok).toBe(true);
      first.close();

      const answers: string[] = [];
      try {
        const second = await connectControl(server.url, ana.token);
        cleanup.push(() => second.close());
        for (let i = 0; i < 6; i++) {
          const res = await second.emitWithAck('board:join', { boardId });
          answers.push(res.ok ? 'ok' : res.error.code);
        }
      } catch (err) {
        answers.push((err as Error & { data?: { code: string } }).data?.code ?? 'refused');
      }
      expect(answers).toContain('RATE_LIMITED');

      const ben = await join(server.url, ws.code, { name: 'Ben' });
      const benSocket = await connectControl(server.url, ben.token);
      cleanup.push(() => benSocket.close());
      expect((await benSocket.emitWithAck('board:join', { boardId })).ok).toBe(true);
    });
  });

  describe('REST', () => {
    const RATE_LIMITED = {
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/Demasiadas solicitudes/),
      messageEn: expect.stringMatching(/Too many requests/)
    };

    it('answers a flood of workshop creations with 429, Retry-After and the message; another address is unaffected', async () => {
      const server = await serve({ WORKSHOP_CREATIONS_PER_MINUTE: '3' });
      const create = (from: string) => apiFrom(from, server.url, '/api/workshops', { body: { title: 'Taller', challengeIds: ['desafio-1'] } });
      for (let i = 0; i < 3; i++) expect((await create('127.0.0.1')).status).toBe(201);
      const refused = await create('127.0.0.1');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual(RATE_LIMITED);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await create('127.0.0.2')).status).toBe(201);
    });

    it('answers a flood of joins with 429; another address is unaffected', async () => {
      const server = await serve({ JOINS_PER_MINUTE: '3' });
      const ws = await createWorkshop(server.url);
      const joinFrom = (from: string) =>
        apiFrom(from, server.url, `/api/workshops/${ws.code}/join`, { body: { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' } });
      for (let i = 0; i < 3; i++) expect((await joinFrom('127.0.0.1')).status).toBe(201);
      const refused = await joinFrom('127.0.0.1');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual(RATE_LIMITED);
      expect((await joinFrom('127.0.0.2')).status).toBe(201);
    });

    it('stops an address that guesses codes, but not a room that looks up its own code many times', async () => {
      const server = await serve({ CODE_MISSES_PER_MINUTE: '5' });
      const ws = await createWorkshop(server.url);
      const lookup = (from: string, code: string) => apiFrom(from, server.url, `/api/workshops/${code}`);
      for (let i = 0; i < 20; i++) expect((await lookup('127.0.0.1', ws.code)).status).toBe(200);
      for (const guess of ['AAAAAA', 'AAAAAB', 'AAAAAC', 'AAAAAD', 'AAAAAE']) expect((await lookup('127.0.0.1', guess)).status).toBe(404);
      const refused = await lookup('127.0.0.1', 'AAAAAF');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual(RATE_LIMITED);
      // Guessing through the join route is stopped too.
      const joinGuess = await apiFrom('127.0.0.1', server.url, `/api/workshops/${ws.code}/join`, {
        body: { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' }
      });
      expect(joinGuess.status).toBe(429);
      expect((await lookup('127.0.0.2', ws.code)).status).toBe(200);
    });

    it('limits every API route per address', async () => {
      const server = await serve({ API_REQUESTS_PER_MINUTE: '5' });
      for (let i = 0; i < 5; i++) expect((await apiFrom('127.0.0.1', server.url, '/api/challenges')).status).toBe(200);
      const refused = await apiFrom('127.0.0.1', server.url, '/api/health');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual(RATE_LIMITED);
      expect((await apiFrom('127.0.0.2', server.url, '/api/challenges')).status).toBe(200);
    });

    it('counts the forwarded address behind a trusted proxy (TRUST_PROXY=1), and only then', async () => {
      const behind = await serve({ API_REQUESTS_PER_MINUTE: '2', TRUST_PROXY: '1' });
      const via = (server: TestServer, client: string) =>
        apiFrom('127.0.0.1', server.url, '/api/health', { headers: { 'x-forwarded-for': client } });
      for (let i = 0; i < 2; i++) expect((await via(behind, '203.0.113.1')).status).toBe(200);
      expect((await via(behind, '203.0.113.1')).status).toBe(429);
      expect((await via(behind, '203.0.113.2')).status).toBe(200);

      const direct = await serve({ API_REQUESTS_PER_MINUTE: '2' });
      for (let i = 0; i < 2; i++) expect((await via(direct, `203.0.113.${i}`)).status).toBe(200);
      expect((await via(direct, '203.0.113.9')).status).toBe(429);
    });
  });
});
