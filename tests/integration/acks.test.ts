import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import { Acks } from '../../web/src/lib/sync/acks.ts';
import { connectBoard, connectControl, createWorkshop, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * The web app's acknowledgements (web/src/lib/sync/acks.ts) against the real server: "nothing
 * pending" means the server stored every change, a refused change is never acknowledged, and the
 * asks stay inside the server's sync step 1 budget however fast someone writes.
 */
describe('acknowledgements of local changes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());
  const Q1 = 'desafio-6-p1';
  const WAIT = { timeout: 15_000 };

  async function person() {
    const ws = await createWorkshop(server.url);
    const boardId = ws.boards[0]!.id;
    const ana = await join(server.url, ws.code, { name: 'Ana' });
    const client = connectBoard(server.wsUrl, boardId, ana.token);
    const states: boolean[] = [];
    const acks = new Acks(client.doc, client.provider, (pending) => states.push(pending));
    // As the board page does: a refusal means nothing is confirmed any more.
    client.provider.messageHandlers[2] = (_e, decoder: decoding.Decoder) =>
      authProtocol.readAuthMessage(decoder, client.doc, (_y, reason) => {
        client.denials.push(JSON.parse(reason));
        acks.refuse();
      });
    await client.synced;
    return { ws, boardId, ana, client, acks, states, who: { id: ana.participantId, name: 'Ana', sector: 'comunidad' } };
  }

  const texts = (c: BoardClient) => [...c.doc.getMap<Y.Map<unknown>>('ideas').values()].map((m) => m.get('text')).sort();

  it('says pending until the server stored the change, then not', async () => {
    const { ws, boardId, client, acks, states, who } = await person();
    postIdea(client.doc, who, { text: 'Primera', questionId: Q1 });
    expect(acks.pending).toBe(true);
    await vi.waitFor(() => expect(acks.pending).toBe(false), WAIT);
    expect(states).toEqual([true, false]);
    const other = connectBoard(server.wsUrl, boardId, (await join(server.url, ws.code, { name: 'Beto' })).token);
    await other.synced;
    expect(texts(other)).toEqual(['Primera']);
    other.destroy();
    acks.destroy();
    client.destroy();
  });

  it('never acknowledges a refused change', async () => {
    const { ws, boardId, client, acks, states, who } = await person();
    const control = await connectControl(server.url, ws.facilitatorToken);
    expect(await control.emitWithAck('session:command', { boardId, action: 'lock' } as never)).toMatchObject({ ok: true });
    postIdea(client.doc, who, { text: 'Bloqueada', questionId: Q1 });
    await vi.waitFor(() => expect(client.denials.length).toBeGreaterThan(0), WAIT);
    // The reply to the ask after the refused update still comes: wait past it.
    await new Promise((r) => setTimeout(r, 300));
    expect(acks.pending).toBe(true);
    expect(states).toEqual([true]);
    control.close();
    acks.destroy();
    client.destroy();
  });

  it('keeps inside the sync step 1 budget while someone writes fast, and catches up', async () => {
    const { client, acks, who } = await person();
    for (let i = 0; i < 12; i++) {
      postIdea(client.doc, who, { text: `Idea ${i}`, questionId: Q1 });
      await new Promise((r) => setTimeout(r, 40));
    }
    await vi.waitFor(() => expect(acks.pending).toBe(false), WAIT);
    expect(client.closes).toEqual([]);
    expect(client.denials).toEqual([]);
    acks.destroy();
    client.destroy();
  });
});
