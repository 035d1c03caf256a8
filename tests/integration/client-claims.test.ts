import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { MAX_PRESENCE_BINDINGS_PER_PARTICIPANT, MAX_PRESENCE_ENTRIES_PER_MESSAGE } from '../../server/src/sync/limits.ts';
import { connectBoard, createWorkshop, ideaText, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { openRaw, presenceMessage } from '../helpers/raw-socket.ts';
import { startServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';

describe("a reader's clientID stays the reader's across a restart", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  const track = <T extends BoardClient | ServerProcess>(x: T) => {
    cleanup.push(() => ('destroy' in x ? x.destroy() : x.stop()));
    return x;
  };

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('refuses a write under the clientID a reader claimed by presence alone, and syncs the reader afterwards', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'minga-claims-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = track(await startServerProcess(dir));
    const ws = await createWorkshop(first.url);
    const boardId = ws.boards[0]!.id;
    const rita = await join(first.url, ws.code, { name: 'Rita' });
    const mallory = await join(first.url, ws.code, { name: 'Mallory' });
    const tomas = await join(first.url, ws.code, { name: 'Tomás' });

    // Rita only reads: her provider speaks on awareness, never writes.
    const ritaDoc = new Y.Doc();
    const reader = connectBoard(first.wsUrl, boardId, rita.token, ritaDoc);
    // As the web app does (a fresh awareness' own first state has clock 0, which peers ignore).
    reader.provider.awareness.setLocalState({ focus: null });
    const watcher = track(connectBoard(first.wsUrl, boardId, tomas.token));
    await Promise.all([reader.synced, watcher.synced]);
    await vi.waitFor(() => expect(watcher.provider.awareness.getStates().has(ritaDoc.clientID)).toBe(true));
    reader.provider.destroy(); // her tab goes offline; her doc (and clientID) stays

    await first.kill9();
    const second = track(await startServerProcess(dir));

    // Mallory saw Rita's clientID in presence and writes under it before Rita is back.
    const m = track(connectBoard(second.wsUrl, boardId, mallory.token));
    await m.synced;
    const own = m.doc.clientID;
    m.doc.clientID = ritaDoc.clientID;
    const forged = postIdea(m.doc, { id: mallory.participantId, name: 'Mallory', sector: 'comunidad' }, { text: 'con el id de Rita', questionId: Q1 });
    m.doc.clientID = own;
    await vi.waitFor(() => expect(m.denials.map((d) => d.code)).toContain('CLIENT_ID_TAKEN'));

    // Rita comes back with the same doc and writes: a third client gets it.
    const third = track(connectBoard(second.wsUrl, boardId, tomas.token));
    const back = track(connectBoard(second.wsUrl, boardId, rita.token, ritaDoc));
    await Promise.all([third.synced, back.synced]);
    const clientId = ritaDoc.clientID;
    const ideaId = postIdea(ritaDoc, { id: rita.participantId, name: 'Rita', sector: 'comunidad' }, { text: 'De Rita', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(third.doc, ideaId)).toBe('De Rita'));
    expect(ritaDoc.clientID).toBe(clientId); // Yjs did not have to pick a new one: nobody wrote under hers
    expect(third.doc.getMap('ideas').has(forged)).toBe(false);
    expect(back.denials).toEqual([]);
  });
});

describe('presence bindings are bounded', () => {
  it(`binds at most ${MAX_PRESENCE_BINDINGS_PER_PARTICIPANT} clientIDs per participant and board through presence`, async () => {
    // 260 sockets in a few seconds: a budget big enough that the message rate limit (which a fast
    // machine reaches first) does not refuse any, so only the binding bound is under test.
    const server = await startServer({ MESSAGE_BURST: '100000', IP_MESSAGE_BURST: '100000' });
    try {
      const ws = await createWorkshop(server.url);
      const boardId = ws.boards[0]!.id;
      const mallory = await join(server.url, ws.code, { name: 'Mallory' });
      const rows = () =>
        (server.app.sqlite.prepare('SELECT count(*) AS n FROM board_clients WHERE board_id = ? AND owner_id = ?').get(boardId, mallory.participantId) as { n: number }).n;
      let next = 1;
      for (let i = 0; i < MAX_PRESENCE_BINDINGS_PER_PARTICIPANT / MAX_PRESENCE_ENTRIES_PER_MESSAGE + 10; i++) {
        const s = openRaw(server.wsUrl, boardId, mallory.token);
        await s.opened;
        s.send(presenceMessage(Array.from({ length: MAX_PRESENCE_ENTRIES_PER_MESSAGE }, () => ({ client: next++, clock: 1, state: {} }))));
        // The server reads the message before the close frame that follows it.
        s.ws.close();
        await s.closed;
      }
      expect(rows()).toBe(MAX_PRESENCE_BINDINGS_PER_PARTICIPANT);
    } finally {
      await server.close();
    }
  });
});
