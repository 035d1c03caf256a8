import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, createCluster, createWorkshop, ideaText, join, postIdea, type BoardClient } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';

describe('content plane: two WebsocketProvider clients on one board', () => {
  let server: TestServer;
  let clients: BoardClient[] = [];
  let boardId: string;
  let code: string;

  const open = async (token: string) => {
    const c = connectBoard(server.wsUrl, boardId, token);
    clients.push(c);
    await c.synced;
    return c;
  };

  beforeEach(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url);
    boardId = ws.boards[0]!.id;
    code = ws.code;
  });

  afterEach(async () => {
    for (const c of clients) c.destroy();
    clients = [];
    await server.close();
  });

  it('converges on posted, edited and deleted ideas and on clusters', async () => {
    const ana = await join(server.url, code, { name: 'Ana', sector: 'comunidad' });
    const beto = await join(server.url, code, { name: 'Beto', sector: 'mipyme', comuna: 'La Serena' });
    const a = await open(ana.token);
    const b = await open(beto.token);
    const anaWho = { id: ana.participantId, name: 'Ana', sector: 'comunidad' };

    const ideaId = postIdea(a.doc, anaWho, { text: 'Cosechar agua de niebla', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(b.doc, ideaId)).toBe('Cosechar agua de niebla'));

    (a.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).set('text', 'Atrapanieblas comunitarios');
    await vi.waitFor(() => expect(ideaText(b.doc, ideaId)).toBe('Atrapanieblas comunitarios'));

    // Beto groups Ana's idea: clustering is shared work.
    const clusterId = createCluster(b.doc, { title: 'Agua', questionId: Q1 });
    (b.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).set('clusterId', clusterId);
    await vi.waitFor(() => {
      expect((a.doc.getMap('clusters').get(clusterId) as Y.Map<unknown>)?.get('title')).toBe('Agua');
      expect((a.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).get('clusterId')).toBe(clusterId);
    });

    a.doc.getMap('ideas').delete(ideaId);
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(ideaId)).toBe(false));
    expect(a.denials).toEqual([]);
    expect(b.denials).toEqual([]);

    // A third client that connects later gets the same state from the server.
    const c = await open(beto.token);
    expect(c.doc.getMap('ideas').has(ideaId)).toBe(false);
    expect((c.doc.getMap('clusters').get(clusterId) as Y.Map<unknown>).get('title')).toBe('Agua');
  });

  it('gives every board its eight proposal sections, so concurrent first edits merge', async () => {
    const ana = await join(server.url, code, { name: 'Ana' });
    const beto = await join(server.url, code, { name: 'Beto' });
    const a = await open(ana.token);
    const b = await open(beto.token);
    expect([...a.doc.getMap('proposal').keys()].sort()).toEqual(['actores', 'impacto', 'innovacion', 'plan', 'problema', 'publico', 'riesgos', 'solucion']);
    // Both type into the same empty section at the same moment.
    (a.doc.getMap('proposal').get('problema') as Y.Text).insert(0, 'Sequía. ');
    (b.doc.getMap('proposal').get('problema') as Y.Text).insert(0, 'Napas bajas. ');
    await vi.waitFor(() => {
      const text = String(a.doc.getMap('proposal').get('problema'));
      expect(text).toContain('Sequía.');
      expect(text).toContain('Napas bajas.');
      expect(String(b.doc.getMap('proposal').get('problema'))).toBe(text);
    });
    expect([...a.denials, ...b.denials]).toEqual([]);
  });

  it('lists each participant in the server-written participants map', async () => {
    const ana = await join(server.url, code, { name: 'Ana', sector: 'universidad', comuna: 'Vicuña' });
    const a = await open(ana.token);
    await vi.waitFor(() =>
      expect(a.doc.getMap('participants').get(ana.participantId)).toEqual({ name: 'Ana', sector: 'universidad', comuna: 'Vicuña' })
    );
  });

  it('refuses a participant write to votes, stores nothing and tells the sender why', async () => {
    const ana = await join(server.url, code);
    const beto = await join(server.url, code, { name: 'Beto' });
    const a = await open(ana.token);
    const b = await open(beto.token);
    const ideaId = postIdea(a.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'Idea', questionId: Q1 });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(ideaId)).toBe(true));

    a.doc.getMap('votes').set(`${ideaId}|${ana.participantId}`, 99);
    await vi.waitFor(() => expect(a.denials.map((d) => d.code)).toContain('VOTES_SERVER_ONLY'));
    expect(a.denials[0]!.message).toMatch(/votos/);
    expect(a.denials[0]!.messageEn).toMatch(/[Vv]otes/);

    // Not broadcast: Beto gets an idea Ana posts after the refused write, and still no vote. (The
    // refused change stays in Ana's doc, so the marker is written by a fresh client of hers.)
    const a2 = await open(ana.token);
    const marker = postIdea(a2.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'marker', questionId: Q1 });
    await vi.waitFor(() => expect(ideaText(b.doc, marker)).toBe('marker'));
    expect(b.doc.getMap('votes').size).toBe(0);
    // And not stored: the log replayed into a fresh doc has the ideas, not the vote.
    const rows = server.app.sqlite.prepare('SELECT data FROM board_updates WHERE board_id = ?').all(boardId) as { data: Buffer }[];
    const stored = new Y.Doc();
    for (const r of rows) Y.applyUpdate(stored, new Uint8Array(r.data));
    expect(stored.getMap('votes').size).toBe(0);
    expect(stored.getMap('ideas').has(ideaId)).toBe(true);
  });

  it('refuses an idea longer than 500 characters and one signed with another name', async () => {
    const ana = await join(server.url, code, { name: 'Ana' });
    const beto = await join(server.url, code, { name: 'Beto' });
    const a = await open(ana.token);
    const b = await open(beto.token);

    postIdea(a.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'x'.repeat(501), questionId: Q1 });
    await vi.waitFor(() => expect(a.denials.map((d) => d.code)).toContain('IDEA_TOO_LONG'));

    const a2 = await open(ana.token);
    postIdea(a2.doc, { id: beto.participantId, name: 'Beto', sector: 'comunidad' }, { text: 'suplantación', questionId: Q1 });
    await vi.waitFor(() => expect(a2.denials.map((d) => d.code)).toContain('AUTHOR_MISMATCH'));
    expect(b.doc.getMap('ideas').size).toBe(0);
  });

  it("refuses edits and deletes of another participant's idea", async () => {
    const ana = await join(server.url, code, { name: 'Ana' });
    const beto = await join(server.url, code, { name: 'Beto' });
    const a = await open(ana.token);
    const b = await open(beto.token);
    const ideaId = postIdea(a.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'De Ana', questionId: Q1 });
    await vi.waitFor(() => expect(b.doc.getMap('ideas').has(ideaId)).toBe(true));

    (b.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).set('text', 'cambiado por Beto');
    await vi.waitFor(() => expect(b.denials.map((d) => d.code)).toContain('NOT_YOUR_IDEA'));
    const b2 = await open(beto.token);
    b2.doc.getMap('ideas').delete(ideaId);
    await vi.waitFor(() => expect(b2.denials.map((d) => d.code)).toContain('NOT_YOUR_IDEA'));
    expect(ideaText(a.doc, ideaId)).toBe('De Ana');
  });

  it('lets the facilitator edit and delete any idea', async () => {
    const ws = await createWorkshop(server.url);
    boardId = ws.boards[0]!.id;
    const ana = await join(server.url, ws.code);
    const a = await open(ana.token);
    const f = await open(ws.facilitatorToken);
    const ideaId = postIdea(a.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'Idea', questionId: Q1 });
    await vi.waitFor(() => expect(f.doc.getMap('ideas').has(ideaId)).toBe(true));
    (f.doc.getMap('ideas').get(ideaId) as Y.Map<unknown>).set('text', 'Idea (ortografía corregida)');
    await vi.waitFor(() => expect(ideaText(a.doc, ideaId)).toBe('Idea (ortografía corregida)'));
    f.doc.getMap('ideas').delete(ideaId);
    await vi.waitFor(() => expect(a.doc.getMap('ideas').has(ideaId)).toBe(false));
    expect(f.denials).toEqual([]);
  });

  it("refuses updates written under another participant's clientID", async () => {
    const ana = await join(server.url, code, { name: 'Ana' });
    const mallory = await join(server.url, code, { name: 'Mallory' });
    const a = await open(ana.token);
    postIdea(a.doc, { id: ana.participantId, name: 'Ana', sector: 'comunidad' }, { text: 'Primera', questionId: Q1 });
    const watcher = await open(ana.token);
    await vi.waitFor(() => expect(watcher.doc.getMap('ideas').size).toBe(1));

    // Mallory's doc, once synced, claims Ana's clientID and continues her clock.
    const m = await open(mallory.token);
    const own = m.doc.clientID;
    m.doc.clientID = a.doc.clientID;
    postIdea(m.doc, { id: mallory.participantId, name: 'Mallory', sector: 'comunidad' }, { text: 'con la firma de Ana', questionId: Q1 });
    m.doc.clientID = own; // its awareness still speaks for `own`
    await vi.waitFor(() => expect(m.denials.map((d) => d.code)).toContain('CLIENT_ID_TAKEN'));
    expect(watcher.doc.getMap('ideas').size).toBe(1);
  });

  it('closes a connection whose token belongs to another workshop, or is forged', async () => {
    const other = await createWorkshop(server.url);
    const stranger = await join(server.url, other.code);
    const c = connectBoard(server.wsUrl, boardId, stranger.token);
    clients.push(c);
    await vi.waitFor(() => expect(c.closes[0]).toMatchObject({ code: 4403 }));
    const forged = connectBoard(server.wsUrl, boardId, stranger.token.slice(0, -3) + 'AAA');
    clients.push(forged);
    await vi.waitFor(() => expect(forged.closes[0]).toMatchObject({ code: 4401 }));
    const unknown = connectBoard(server.wsUrl, 'nosuchboard', stranger.token);
    clients.push(unknown);
    await vi.waitFor(() => expect(unknown.closes[0]).toMatchObject({ code: 4404 }));
  });
});

describe('content plane: hostile input never crashes the server', () => {
  it('survives garbage, oversize and text frames, and unknown upgrade paths', async () => {
    const server = await startServer({ MAX_MESSAGE_BYTES: '65536' });
    try {
      const ws = await createWorkshop(server.url);
      const ana = await join(server.url, ws.code);
      const { default: WebSocket } = await import('ws');
      const url = `${server.wsUrl}/yjs/${ws.boards[0]!.id}?token=${ana.token}`;
      const closeOf = (send: (s: InstanceType<typeof WebSocket>) => void) =>
        new Promise<number>((resolve) => {
          const s = new WebSocket(url);
          s.on('open', () => send(s));
          s.on('close', (code) => resolve(code));
          s.on('error', () => undefined);
        });
      expect(await closeOf((s) => s.send(new Uint8Array([0, 9, 9, 9])))).toBe(4400);
      expect(await closeOf((s) => s.send('hello'))).toBe(4400);
      expect(await closeOf((s) => s.send(new Uint8Array(70_000)))).toBe(1009);
      // A garbage update is refused (not a crash) and the connection stays usable.
      const refused = await new Promise<number>((resolve) => {
        const s = new WebSocket(url);
        s.on('open', () => s.send(new Uint8Array([0, 2, 5, 1, 2, 3, 250, 255])));
        s.on('message', (data: Buffer) => {
          if (data[0] === 2) {
            s.close();
            resolve(data[0]);
          }
        });
      });
      expect(refused).toBe(2);
      const unknown = await new Promise<number>((resolve) => {
        const s = new WebSocket(`${server.wsUrl}/elsewhere`);
        s.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        s.on('error', () => undefined);
      });
      expect(unknown).toBe(404);
      // A page of another origin cannot open a board socket (cross-site WebSocket hijacking).
      const foreign = await new Promise<number>((resolve) => {
        const s = new WebSocket(url, { headers: { origin: 'http://evil.example' } });
        s.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        s.on('error', () => undefined);
      });
      expect(foreign).toBe(403);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
