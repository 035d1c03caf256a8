import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../server/src/errors.ts';
import { SYNC_STEP1_BURST, SYNC_STEP1_PARTICIPANT_BURST } from '../../server/src/sync/limits.ts';
import { SyncType } from '../../server/src/sync/protocol.ts';
import { connectBoard, createWorkshop, ideaText, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { openRaw, readSync, syncMessage, type RawSocket } from '../helpers/raw-socket.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

describe('full-sync requests (sync step 1) are bounded and served from a cache', () => {
  let server: TestServer;
  let boardId: string;
  let code: string;
  const clients: BoardClient[] = [];
  const raws: RawSocket[] = [];

  const board = async (token: string, doc?: Y.Doc) => {
    const c = connectBoard(server.wsUrl, boardId, token, doc);
    clients.push(c);
    await c.synced;
    return c;
  };
  const participant = async (name: string) => {
    const p = await join(server.url, code, { name });
    return { ...p, who: { id: p.participantId, name, sector: 'comunidad' } };
  };
  /** Sync step 2 answers a raw socket received, as docs. */
  const answers = (s: RawSocket) =>
    s.received.flatMap((m) => {
      const sync = readSync(m);
      if (sync?.type !== SyncType.Step2) return [];
      const doc = new Y.Doc();
      Y.applyUpdate(doc, sync.payload);
      return [doc];
    });

  beforeEach(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url);
    boardId = ws.boards[0]!.id;
    code = ws.code;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of raws.splice(0)) s.ws.close();
    await server.close();
  });

  it(`closes a connection that asks for the board more than ${SYNC_STEP1_BURST} times at once (${CloseCode.RateLimited}), and loses no one else's idea`, async () => {
    const ana = await participant('Ana');
    const mallory = await participant('Mallory');
    const a = await board(ana.token);
    for (let i = 0; i < 200; i++) postIdea(a.doc, ana.who, { text: `Idea ${i} ${'x'.repeat(300)}`, questionId: Q1 });
    const b = await board((await participant('Beto')).token);
    await vi.waitFor(() => expect(b.doc.getMap('ideas').size).toBe(200));

    const floods = Array.from({ length: 10 }, () => openRaw(server.wsUrl, boardId, mallory.token));
    raws.push(...floods);
    await Promise.all(floods.map((s) => s.opened));
    for (let round = 0; round < 40; round++) for (const s of floods) s.send(syncMessage(SyncType.Step1, EMPTY_STATE_VECTOR));
    // Ana posts while the flood goes on; Beto gets it.
    const during = postIdea(a.doc, ana.who, { text: 'durante la avalancha', questionId: Q1 });
    const codes: number[] = [];
    for (const s of floods) void s.closed.then((code) => codes.push(code));
    await vi.waitFor(() => expect(codes).toEqual(floods.map(() => CloseCode.RateLimited)), { timeout: 15_000 });
    await vi.waitFor(() => expect(ideaText(b.doc, during)).toBe('durante la avalancha'));
    // Each flooding socket got at most its burst of answers, all of them together at most the
    // participant's (reconnecting buys nothing), each the whole board.
    const got = floods.map(answers);
    for (const docs of got) expect(docs.length).toBeLessThanOrEqual(SYNC_STEP1_BURST);
    expect(got.flat().length).toBeGreaterThan(0);
    expect(got.flat().length).toBeLessThanOrEqual(SYNC_STEP1_PARTICIPANT_BURST + 1);
    for (const doc of got.flat()) expect(doc.getMap('ideas').size).toBeGreaterThanOrEqual(200);
    // A normal client still syncs the whole board.
    const late = await board(ana.token);
    expect(late.doc.getMap('ideas').size).toBe(201);
    expect([...a.denials, ...b.denials, ...late.denials]).toEqual([]);
  });

  it('answers each sync step 1 with the current board: the cached whole board, then what was stored since', async () => {
    const ana = await participant('Ana');
    const a = await board(ana.token);
    // A board big enough (~100 KB) that the server keeps its encoded state across updates.
    for (let i = 0; i < 200; i++) postIdea(a.doc, ana.who, { text: `Idea ${i} ${'x'.repeat(400)}`, questionId: Q1 });
    const first = postIdea(a.doc, ana.who, { text: 'primera', questionId: Q1 });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').has(first)).toBe(true));
    const one = await board(ana.token);
    expect(ideaText(one.doc, first)).toBe('primera');
    const room = server.app.rooms.peek(boardId)!;
    const cached = room.syncReply(EMPTY_STATE_VECTOR)!;
    expect(cached).toHaveLength(1);
    expect(room.syncReply(EMPTY_STATE_VECTOR)![0]).toBe(cached[0]); // the same bytes, not encoded again

    const second = postIdea(a.doc, ana.who, { text: 'segunda', questionId: Q1 });
    (a.doc.getMap('ideas').get(first) as Y.Map<unknown>).set('text', 'primera, corregida');
    await vi.waitFor(() => expect(ideaText(one.doc, first)).toBe('primera, corregida'));
    // Not encoded again: the updates stored since follow the cached state.
    const again = room.syncReply(EMPTY_STATE_VECTOR)!;
    expect(again[0]).toBe(cached[0]);
    expect(again.length).toBeGreaterThan(1);
    const two = await board(ana.token);
    await vi.waitFor(() => {
      expect(ideaText(two.doc, first)).toBe('primera, corregida');
      expect(ideaText(two.doc, second)).toBe('segunda');
    });
    expect(Y.encodeStateVector(two.doc)).toEqual(Y.encodeStateVector(room.doc));

    // A client that already holds most of the board (its state vector names the server's
    // clients) gets a diff of what it lacks.
    const behind = new Y.Doc();
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(one.doc));
    one.provider.disconnect();
    const third = postIdea(a.doc, ana.who, { text: 'tercera', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(two.doc, third)).toBe('tercera'));
    const s = openRaw(server.wsUrl, boardId, ana.token);
    raws.push(s);
    await s.opened;
    s.send(syncMessage(SyncType.Step1, Y.encodeStateVector(behind)));
    await vi.waitFor(() => expect(answers(s)).toHaveLength(1));
    const reply = s.received.map(readSync).find((m) => m?.type === SyncType.Step2)!.payload;
    expect(reply.byteLength).toBeLessThan(cached[0]!.byteLength / 10);
    Y.applyUpdate(behind, reply);
    expect(ideaText(behind, third)).toBe('tercera');
    expect(ideaText(behind, first)).toBe('primera, corregida');
  });
});
