import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SyncType } from '../../server/src/sync/protocol.ts';
import { connectBoard, createWorkshop, ideaText, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { openRaw, presenceMessage, syncMessage, type RawSocket } from '../helpers/raw-socket.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';

/** The board as the server stored it: every logged update replayed into a fresh doc. */
function storedBoard(server: TestServer, boardId: string): Y.Doc {
  const rows = server.app.sqlite.prepare('SELECT data FROM board_updates WHERE board_id = ? ORDER BY id').all(boardId) as { data: Buffer }[];
  const doc = new Y.Doc();
  for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
  return doc;
}

describe('what a client cannot make the server believe', () => {
  let server: TestServer;
  let boardId: string;
  let code: string;
  const clients: BoardClient[] = [];
  const raws: RawSocket[] = [];

  const board = async (token: string) => {
    const c = connectBoard(server.wsUrl, boardId, token);
    clients.push(c);
    await c.synced;
    return c;
  };
  const raw = async (token: string) => {
    const s = openRaw(server.wsUrl, boardId, token);
    raws.push(s);
    await s.opened;
    return s;
  };
  const participant = async (name: string) => {
    const p = await join(server.url, code, { name });
    return { ...p, who: { id: p.participantId, name, sector: 'comunidad' } };
  };

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

  /** Ana's V2-encoded idea, sent as a sync update; then a V1 marker from the same socket. */
  async function sendV2Idea() {
    const ana = await participant('Ana');
    const watcher = await board((await participant('Beto')).token);
    const s = await raw(ana.token);
    const v2 = new Y.Doc();
    const ideaId = postIdea(v2, ana.who, { text: 'codificada en V2', questionId: Q1 });
    s.send(syncMessage(SyncType.Update, Y.encodeStateAsUpdateV2(v2)));
    const v1 = new Y.Doc();
    const marker = postIdea(v1, ana.who, { text: 'marker', questionId: Q1 });
    s.send(syncMessage(SyncType.Update, Y.encodeStateAsUpdate(v1)));
    await vi.waitFor(() => expect(ideaText(watcher.doc, marker)).toBe('marker'));
    return { s, watcher, ideaId, marker };
  }

  it('changes nothing with a V2-encoded update: not applied, not stored, not broadcast', async () => {
    const { watcher, ideaId, marker } = await sendV2Idea();
    expect(watcher.doc.getMap('ideas').has(ideaId)).toBe(false);
    expect(server.app.rooms.peek(boardId)!.doc.getMap('ideas').has(ideaId)).toBe(false);
    const stored = storedBoard(server, boardId);
    expect(stored.getMap('ideas').has(ideaId)).toBe(false);
    expect(stored.getMap('ideas').has(marker)).toBe(true);
  });

  // Finding (issue 9, fuzzing): update-inspector.ts reads V2 bytes as a V1 update with no structs
  // and no deletions (the V2 feature flag 0 reads as "0 clients"; the rest of the bytes is never
  // looked at), and the room treats that as the empty update every client sends on connect. So a
  // V2 update is silently dropped rather than refused: its sender is never told. The inspector
  // (owned by the lead) should refuse an update whose bytes are not all consumed.
  it('refuses a V2-encoded update with a reason the sender sees', async () => {
    const { s } = await sendV2Idea();
    const denials = s.received.filter((m) => m[0] === 2);
    expect(denials.length).toBeGreaterThan(0);
  });

  it("puts the sender's real identity in its presence, whatever `user` it claims", async () => {
    const ana = await participant('Ana');
    const mallory = await participant('Mallory');
    const watcher = await board(ana.token);
    const m = await board(mallory.token);
    m.provider.awareness.setLocalState({ focus: Q1, user: { id: ana.participantId, name: 'Ana', sector: 'universidad', role: 'facilitator' } });
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(m.doc.clientID)).toMatchObject({ focus: Q1 }));
    expect(watcher.provider.awareness.getStates().get(m.doc.clientID)!.user).toEqual({
      id: mallory.participantId,
      name: 'Mallory',
      sector: 'comunidad',
      role: 'participant'
    });
  });

  it("cannot speak for another client's clientID on presence", async () => {
    const ana = await participant('Ana');
    const mallory = await participant('Mallory');
    const a = await board(ana.token);
    a.provider.awareness.setLocalState({ focus: Q1 });
    const watcher = await board((await participant('Beto')).token);
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ focus: Q1 }));

    const s = await raw(mallory.token);
    // Replace Ana's state, then remove it; then speak for a clientID of its own (the marker).
    s.send(presenceMessage([{ client: a.doc.clientID, clock: 1_000, state: { focus: 'secuestrado' } }]));
    s.send(presenceMessage([{ client: a.doc.clientID, clock: 1_001, state: null }]));
    s.send(presenceMessage([{ client: 4242, clock: 1, state: { marker: true } }]));
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().get(4242)).toMatchObject({ marker: true }));
    expect(watcher.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ focus: Q1, user: { id: ana.participantId } });
  });
});
