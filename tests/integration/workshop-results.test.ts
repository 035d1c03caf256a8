import { XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkshopResults } from '../../server/src/schemas/results.ts';
import { api, connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** Two boards (Desafíos 6 and 7), three sectors. */
describe("the workshop's results", () => {
  let server: TestServer;
  let ws: Awaited<ReturnType<typeof createWorkshop>>;
  let people: Awaited<ReturnType<typeof join>>[];
  const boards: BoardClient[] = [];
  const sockets: ControlSocket[] = [];
  const ids: Record<string, string> = {};

  const results = (token: string) => api<WorkshopResults>(server.url, `/api/workshops/${ws.code.toLowerCase()}/results`, { token });

  beforeAll(async () => {
    server = await startServer();
    ws = await createWorkshop(server.url, ['desafio-6', 'desafio-7']);
    people = await Promise.all([
      join(server.url, ws.code, { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' }),
      join(server.url, ws.code, { name: 'Berta', sector: 'comunidad', comuna: 'Ovalle' }),
      join(server.url, ws.code, { name: 'Ulises', sector: 'universidad', comuna: 'La Serena' }),
      join(server.url, ws.code, { name: 'Mara', sector: 'mipyme', comuna: 'Coquimbo' })
    ]);
    const b6 = ws.boards[0]!;
    const b7 = ws.boards[1]!;
    const a6 = connectBoard(server.wsUrl, b6.id, people[0]!.token);
    const u7 = connectBoard(server.wsUrl, b7.id, people[2]!.token);
    boards.push(a6, u7);
    await Promise.all(boards.map((b) => b.synced));
    const ana = { id: people[0]!.participantId, name: 'Ana', sector: 'comunidad' };
    const ulises = { id: people[2]!.participantId, name: 'Ulises', sector: 'universidad' };
    ids.riego = createCluster(a6.doc, { title: 'Riego', questionId: 'desafio-6-p1' });
    ids.feria = createCluster(a6.doc, { title: 'Feria', questionId: 'desafio-6-p1' });
    ids.goteo = postIdea(a6.doc, ana, { text: 'Goteo comunitario', questionId: 'desafio-6-p1', clusterId: ids.riego });
    ids.toldo = postIdea(a6.doc, ana, { text: 'Toldos en la feria', questionId: 'desafio-6-p1', clusterId: ids.feria });
    ids.wifi = postIdea(u7.doc, ulises, { text: 'Wifi en la posta rural', questionId: 'desafio-7-p1' });
    await vi.waitFor(() => expect(server.app.rooms.peek(b6.id)?.doc.getMap('ideas').size).toBe(2));
    await vi.waitFor(() => expect(server.app.rooms.peek(b7.id)?.doc.getMap('ideas').size).toBe(1));

    sockets.push(...(await Promise.all(people.map((p) => connectControl(server.url, p.token)))));
    for (const s of sockets) await s.emitWithAck('board:join', { boardId: b6.id });
    const vote = async (i: number, targetId: string) => expect(await sockets[i]!.emitWithAck('vote:cast', { boardId: b6.id, targetId, delta: 1 })).toMatchObject({ ok: true });
    // Feria: 4 dots from comunidad alone. Riego: one dot from each sector.
    for (let d = 0; d < 2; d++) {
      await vote(0, ids.feria!);
      await vote(1, ids.feria!);
    }
    await vote(1, ids.riego!);
    await vote(2, ids.goteo!);
    await vote(3, ids.riego!);
  });

  afterAll(async () => {
    for (const b of boards) b.destroy();
    for (const s of sockets) s.close();
    await server.close();
  });

  it('gives facilitators every board with its groups and ideas ranked by dots and by cross-sector support', async () => {
    const { status, body } = await results(ws.facilitatorToken);
    expect(status).toBe(200);
    expect(body.boards.map((b) => b.challenge.number)).toEqual([6, 7]);
    const [d6, d7] = body.boards as [WorkshopResults['boards'][0], WorkshopResults['boards'][0]];
    expect(d6.groupsByDots.map((g) => g.title)).toEqual(['Feria', 'Riego']);
    expect(d6.groupsByConsensus.map((g) => g.title)).toEqual(['Riego', 'Feria']);
    expect(d6).toMatchObject({ ideas: 2, groups: 2, dots: 7 });
    expect(d6.ideasByDots[0]).toMatchObject({ kind: 'idea', title: 'Goteo comunitario', dots: 1, questionNumber: 1 });
    expect(d7).toMatchObject({ ideas: 1, groups: 0, dots: 0 });
    expect(d7.ideasByDots.map((i) => i.title)).toEqual(['Wifi en la posta rural']);
  });

  it('counts who took part how: people by sector and comuna, ideas, dots and edits per sector, ideas and dots over time', async () => {
    const { body } = await results(ws.facilitatorToken);
    expect(body.people.total).toBe(4);
    expect(body.people.bySector.map((s) => [s.sector, s.count])).toEqual([
      ['comunidad', 2],
      ['universidad', 1],
      ['mipyme', 1]
    ]);
    expect(body.people.byComuna).toEqual(expect.arrayContaining([{ comuna: 'Ovalle', count: 2 }, { comuna: 'La Serena', count: 1 }]));
    const by = Object.fromEntries(body.contribution.map((c) => [c.sector, c]));
    expect(by.comunidad).toMatchObject({ people: 2, ideas: 2, dots: 5 });
    expect(by.universidad).toMatchObject({ people: 1, ideas: 1, dots: 1 });
    expect(by.mipyme).toMatchObject({ people: 1, ideas: 0, dots: 1, edits: 0 });
    // Ana created two groups and two ideas; Ulises one idea: their writes count as edits.
    expect(by.comunidad!.edits).toBeGreaterThan(by.universidad!.edits);
    expect(by.universidad!.edits).toBeGreaterThan(0);
    const totals = body.timeline.points.reduce((t, p) => ({ ideas: t.ideas + p.ideas, dots: t.dots + p.dots }), { ideas: 0, dots: 0 });
    expect(totals).toEqual({ ideas: 3, dots: 7 });
  });

  const file = async (format: 'docx' | 'zip', token = ws.facilitatorToken) => {
    const res = await fetch(`${server.url}/api/workshops/${ws.code}/results.${format}`, { headers: { authorization: `Bearer ${token}` } });
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  it('exports the whole workshop as one DOCX: participation charts, then each challenge with its groups ranked both ways', async () => {
    const { res, bytes } = await file('docx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`filename="taller-${ws.code}-resultados-\\d{4}-\\d{2}-\\d{2}\\.docx"`));
    const files = unzipSync(bytes);
    const xml = strFromU8(files['word/document.xml']!);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(Object.keys(files).filter((f) => /^word\/media\/.+\.png$/.test(f)).length).toBeGreaterThanOrEqual(4);
    const order = ['Resultados del taller', 'Participantes por sector', 'Participantes por comuna', 'Cómo participó cada sector', 'Ideas y votos en el tiempo', 'Desafío 6', 'Grupos por apoyo transversal', 'Riego', 'Feria', 'Grupos por votos', 'Feria', 'Riego', 'Desafío 7', 'Wifi en la posta rural'];
    let at = -1;
    for (const marker of order) {
      const next = xml.indexOf(marker, at + 1);
      expect(next, marker).toBeGreaterThan(at);
      at = next;
    }
    // Counts of one in the singular: Desafío 7 has one idea and one person ('1 ideas' before).
    const d7 = xml.slice(xml.indexOf('Desafío 7'));
    expect(d7).toContain('1 idea, 0 grupos, 0 votos, 1 persona.');
    expect(xml).toContain('4 personas participaron en 2 tableros.');
    // The ideas' tables head their narrow question column 'Preg.', as the ranking tables do ('Pregu|nta' cut in two before).
    const ideasTable = d7.slice(d7.indexOf('Ideas con más votos'));
    expect(ideasTable).toContain('>Preg.<');
    expect(ideasTable).not.toContain('>Pregunta<');
    // A board with no groups says so instead of an empty table.
    expect(d7).toContain('Aún no hay grupos en este tablero.');
  });

  it("exports every board's CSV and JSON in one ZIP with a README that explains the fields", async () => {
    const { res, bytes } = await file('zip');
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'desafio-6/ideas.csv', 'desafio-6/tablero.json', 'desafio-7/ideas.csv', 'desafio-7/tablero.json', 'resultados.json']);
    const readme = strFromU8(files['README.txt']!);
    for (const field of ['supportBySector', 'consensus', 'votesBySector', 'intervalMinutes', 'edits', 'docs/board-export.schema.json']) expect(readme).toContain(field);
    expect(JSON.parse(strFromU8(files['desafio-6/tablero.json']!)).ranking.byConsensus[0].title).toBe('Riego');
    expect(strFromU8(files['desafio-7/ideas.csv']!)).toContain('Wifi en la posta rural');
    expect(JSON.parse(strFromU8(files['resultados.json']!)).boards).toHaveLength(2);
    // Participants before publication get neither file.
    expect((await file('zip', people[3]!.token)).res.status).toBe(403);
  });

  it('is for participants only once the facilitator publishes it, and tells watchers when it changes', async () => {
    const participant = people[3]!.token;
    expect(await results(participant)).toMatchObject({ status: 403, body: { code: 'RESULTS_NOT_PUBLISHED' } });
    expect(await sockets[3]!.emitWithAck('results:watch', {})).toMatchObject({ ok: false, error: { code: 'RESULTS_NOT_PUBLISHED' } });
    const other = await createWorkshop(server.url);
    expect((await results(other.facilitatorToken)).status).toBe(403);
    expect((await api(server.url, `/api/workshops/${ws.code}/results/published`, { method: 'PUT', token: participant, body: { published: true } })).status).toBe(403);

    const facilitator = await connectControl(server.url, ws.facilitatorToken);
    sockets.push(facilitator);
    expect(await facilitator.emitWithAck('results:watch', {})).toEqual({ ok: true, publishedAt: null });
    const heard: (number | null)[] = [];
    facilitator.on('results:changed', (info: { publishedAt: number | null }) => heard.push(info.publishedAt));

    const published = await api<{ publishedAt: number }>(server.url, `/api/workshops/${ws.code}/results/published`, { method: 'PUT', token: ws.facilitatorToken, body: { published: true } });
    expect(published.status).toBe(200);
    expect((await results(participant)).status).toBe(200);
    expect(await sockets[3]!.emitWithAck('results:watch', {})).toEqual({ ok: true, publishedAt: published.body.publishedAt });
    const participantHeard: (number | null)[] = [];
    sockets[3]!.on('results:changed', (info: { publishedAt: number | null }) => participantHeard.push(info.publishedAt));

    // A new idea on a board: watchers hear of it (once, however many changes come together).
    const ana = { id: people[0]!.participantId, name: 'Ana', sector: 'comunidad' };
    postIdea(boards[0]!.doc, ana, { text: 'Huerto escolar', questionId: 'desafio-6-p2' });
    postIdea(boards[0]!.doc, ana, { text: 'Compostera', questionId: 'desafio-6-p2' });
    await vi.waitFor(() => expect(participantHeard).toContain(published.body.publishedAt), { timeout: 10_000 });
    expect((await results(participant)).body.boards[0]!.ideas).toBe(4);

    await api(server.url, `/api/workshops/${ws.code}/results/published`, { method: 'PUT', token: ws.facilitatorToken, body: { published: false } });
    await vi.waitFor(() => expect(participantHeard).toContain(null));
    expect((await results(participant)).status).toBe(403);
    expect(heard).toContain(null);
  });

  it('reads again only the board that stored a change; the other boards come from the cache', async () => {
    const [b6, b7] = [ws.boards[0]!.id, ws.boards[1]!.id];
    await results(ws.facilitatorToken); // both boards summarised (or already cached)
    const read = vi.spyOn(server.app.results, 'clientOwners'); // called once per board summary computed
    try {
      await results(ws.facilitatorToken);
      expect(read).not.toHaveBeenCalled();
      const ana = { id: people[0]!.participantId, name: 'Ana', sector: 'comunidad' };
      const before = server.app.rooms.peek(b6)!.doc.getMap('ideas').size;
      postIdea(boards[0]!.doc, ana, { text: 'Riego nocturno', questionId: 'desafio-6-p3' });
      await vi.waitFor(() => expect(server.app.rooms.peek(b6)?.doc.getMap('ideas').size).toBe(before + 1));
      const { body } = await results(ws.facilitatorToken);
      expect(body.boards[0]!.ideas).toBe(before + 1);
      expect(read.mock.calls.map(([id]) => id)).toEqual([b6]);
      expect(read.mock.calls.map(([id]) => id)).not.toContain(b7);
    } finally {
      read.mockRestore();
    }
  });
});
