import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { smoothedShare } from '../../contract/consensus.ts';
import { BoardReport } from '../../server/src/schemas/board-report.ts';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const Q1 = 'desafio-6-p1';

/**
 * Six people of comunidad pour all their dots on "Feria" (30 dots); one person of each of three
 * other sectors, and one of comunidad, give one dot each to "Huertos". Dots rank Feria first;
 * cross-sector support ranks Huertos first.
 */
describe('cross-sector support in the exports', () => {
  let server: TestServer;
  let boardId: string;
  let token: string;
  const boards: BoardClient[] = [];
  const sockets: ControlSocket[] = [];
  const ids: Record<string, string> = {};

  const download = async (format: string) => {
    const res = await fetch(`${server.url}/api/boards/${boardId}/export.${format}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  };

  beforeAll(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url, ['desafio-6']);
    boardId = ws.boards[0]!.id;
    const people = [
      ...Array.from({ length: 6 }, (_, i) => ({ name: `Comunera ${i + 1}`, sector: 'comunidad', comuna: 'Ovalle' })),
      { name: 'Úrsula', sector: 'universidad', comuna: 'La Serena' },
      { name: 'Mateo', sector: 'mipyme', comuna: 'Coquimbo' },
      { name: 'Olga', sector: 'organizacion_social', comuna: 'Illapel' },
      { name: 'Cata', sector: 'comunidad', comuna: 'Ovalle' }
    ];
    const joined = await Promise.all(people.map((p) => join(server.url, ws.code, p)));
    token = joined[0]!.token;
    const a = connectBoard(server.wsUrl, boardId, token);
    boards.push(a);
    await a.synced;
    ids.feria = createCluster(a.doc, { title: 'Feria del agua', questionId: Q1 });
    ids.huertos = createCluster(a.doc, { title: 'Huertos con riego por goteo', questionId: Q1 });
    ids.idea = postIdea(a.doc, { id: joined[0]!.participantId, name: 'Comunera 1', sector: 'comunidad' }, { text: 'Goteo en la escuela', questionId: Q1, clusterId: ids.huertos });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('clusters').size).toBe(2));

    sockets.push(...(await Promise.all(joined.map((j) => connectControl(server.url, j.token)))));
    for (const s of sockets) await s.emitWithAck('board:join', { boardId });
    const vote = async (i: number, targetId: string) => expect(await sockets[i]!.emitWithAck('vote:cast', { boardId, targetId, delta: 1 })).toMatchObject({ ok: true });
    for (let i = 0; i < 6; i++) for (let d = 0; d < 5; d++) await vote(i, ids.feria!);
    await vote(6, ids.huertos!);
    await vote(7, ids.huertos!);
    await vote(8, ids.idea!); // a dot on an idea of the group backs the group
    await vote(9, ids.huertos!);
  });

  afterAll(async () => {
    for (const b of boards) b.destroy();
    for (const s of sockets) s.close();
    await server.close();
  });

  it('ranks the widely backed group first by support and the single-sector one first by dots, in JSON', async () => {
    const report = JSON.parse(new TextDecoder().decode(await download('json')));
    // What docs/board-export.schema.json promises (TypeBox checks formats it has been taught).
    if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
    expect([...Value.Errors(BoardReport, report)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(report.ranking.byDots.map((c: { id: string }) => c.id)).toEqual([ids.feria, ids.huertos]);
    expect(report.ranking.byConsensus.map((c: { id: string }) => c.id)).toEqual([ids.huertos, ids.feria]);

    const huertos = report.questions[0].clusters.find((c: { id: string }) => c.id === ids.huertos);
    // Voters: comunidad 7, universidad 1, mipyme 1, organizacion_social 1.
    expect(huertos.supportBySector).toEqual({
      comunidad: { voters: 7, supporters: 1, share: smoothedShare(1, 7) },
      universidad: { voters: 1, supporters: 1, share: smoothedShare(1, 1) },
      mipyme: { voters: 1, supporters: 1, share: smoothedShare(1, 1) },
      organizacion_social: { voters: 1, supporters: 1, share: smoothedShare(1, 1) }
    });
    expect(huertos.consensus).toBeCloseTo((2 / 9) * (2 / 3) ** 3, 12);
    const feria = report.questions[0].clusters.find((c: { id: string }) => c.id === ids.feria);
    expect(feria.support).toBe(30);
    expect(feria.consensus).toBeCloseTo((7 / 9) * (1 / 3) ** 3, 12);
    // Every idea has the same fields; this one was dotted only by Olga (organizacion_social).
    const idea = report.ideas.find((i: { id: string }) => i.id === ids.idea);
    expect(idea.supportBySector.organizacion_social).toEqual({ voters: 1, supporters: 1, share: 2 / 3 });
    expect(idea.supportBySector.comunidad).toEqual({ voters: 7, supporters: 0, share: 1 / 9 });
    expect(typeof idea.consensus).toBe('number');
  });

  it('explains and ranks both ways in Markdown, under "Apoyo transversal"', async () => {
    const md = new TextDecoder().decode(await download('md'));
    const section = md.slice(md.indexOf('## Apoyo transversal'), md.indexOf('## Participación'));
    expect(section).toContain('mide cuánto respaldan');
    const bySupport = section.slice(section.indexOf('### Grupos por apoyo transversal'), section.indexOf('### Grupos por votos'));
    const byDots = section.slice(section.indexOf('### Grupos por votos'));
    expect(bySupport.indexOf('Huertos')).toBeLessThan(bySupport.indexOf('Feria'));
    expect(byDots.indexOf('Feria')).toBeLessThan(byDots.indexOf('Huertos'));
    expect(bySupport).toContain('Comunidad 1/7');
    expect(bySupport).toMatch(/\| 0,07 \| 4 \|/); // the index with a Chilean decimal comma, then the dots
  });

  it('has the same section in the DOCX', async () => {
    const xml = strFromU8(unzipSync(await download('docx'))['word/document.xml']!);
    const at = xml.indexOf('Apoyo transversal');
    expect(at).toBeGreaterThan(0);
    expect(xml.indexOf('Huertos con riego por goteo', at)).toBeLessThan(xml.indexOf('Feria del agua', at));
  });
});
