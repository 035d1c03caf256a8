import { parse as parseCsv } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea, type BoardClient, type ControlSocket } from '../helpers/clients.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const HOSTILE = {
  formula: '=HYPERLINK("http://evil.example","clic")',
  plus: '+56 9 1234 5678 llamar',
  script: '<script>alert("x")</script> & <b>negrita</b>',
  markdown: '# Título falso\n- [enlace](http://evil.example) **fuerte** `código` | tabla |',
  rtl: 'مرحبا بالعالم — שלום',
  control: 'texto con control \u0001\u0007 y fin'
};
const EMOJI = '🌵'.repeat(2000);

describe('proposal export', () => {
  let server: TestServer;
  let boardId: string;
  let code: string;
  let token: string;
  let facilitatorToken: string;
  let anaId: string;
  const boards: BoardClient[] = [];
  const sockets: ControlSocket[] = [];
  const ids: Record<string, string> = {};

  const download = async (format: string, t = token, lang = 'es') => {
    const res = await fetch(`${server.url}/api/boards/${boardId}/export.${format}?lang=${lang}`, { headers: { authorization: `Bearer ${t}` } });
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    server = await startServer();
    const ws = await createWorkshop(server.url, ['desafio-6']);
    boardId = ws.boards[0]!.id;
    code = ws.code;
    facilitatorToken = ws.facilitatorToken;
    const people = [
      { name: 'Ana', sector: 'comunidad', comuna: 'Ovalle' },
      { name: 'Beto', sector: 'universidad', comuna: 'La Serena' },
      { name: 'Carla', sector: 'mipyme', comuna: 'Ovalle' }
    ];
    const joined = await Promise.all(people.map((p) => join(server.url, code, p)));
    token = joined[0]!.token;
    anaId = joined[0]!.participantId;
    boards.push(...joined.map((j) => connectBoard(server.wsUrl, boardId, j.token)));
    await Promise.all(boards.map((b) => b.synced));
    const [a, b] = boards as [BoardClient, BoardClient, BoardClient];
    const ana = { id: joined[0]!.participantId, name: 'Ana', sector: 'comunidad' };
    const beto = { id: joined[1]!.participantId, name: 'Beto', sector: 'universidad' };

    ids.cWater = createCluster(a.doc, { title: 'Agua lluvia', questionId: 'desafio-6-p1' });
    ids.cTech = createCluster(a.doc, { title: 'Tecnología [beta]', questionId: 'desafio-6-p1' });
    ids.fog = postIdea(a.doc, ana, { text: 'Atrapanieblas comunitarios', questionId: 'desafio-6-p1', clusterId: ids.cWater });
    ids.tanks = postIdea(b.doc, beto, { text: 'Estanques escolares', questionId: 'desafio-6-p1', clusterId: ids.cWater });
    ids.sensor = postIdea(b.doc, beto, { text: 'Sensores de humedad', questionId: 'desafio-6-p1', clusterId: ids.cTech });
    for (const [key, text] of Object.entries(HOSTILE)) ids[key] = postIdea(a.doc, ana, { text, questionId: 'desafio-6-p2' });
    a.doc.transact(() => {
      // The server created every section when the board loaded: the team types into them.
      const problema = a.doc.getMap('proposal').get('problema') as Y.Text;
      problema.insert(0, 'La sequía afecta a ');
      problema.insert(problema.length, 'pequeños productores', { bold: true });
      problema.insert(problema.length, ' del valle.\nCausas:\n', { bold: null });
      problema.insert(problema.length, 'Baja de napas', {});
      problema.insert(problema.length, '\n', { list: 'bullet' });
      problema.insert(problema.length, 'Uso ineficiente <riego>', {});
      problema.insert(problema.length, '\n', { list: 'bullet' });
      (a.doc.getMap('proposal').get('impacto') as Y.Text).insert(0, EMOJI);
    });
    await vi.waitFor(() => expect(server.app.rooms.peek(boardId)?.doc.getMap('ideas').size).toBe(3 + Object.keys(HOSTILE).length));

    // Votes through the control plane: the tech group outvotes the water group (3 vs 2 + 0).
    sockets.push(...(await Promise.all(joined.map((j) => connectControl(server.url, j.token)))));
    for (const s of sockets) await s.emitWithAck('board:join', { boardId });
    const vote = async (i: number, targetId: string) => expect(await sockets[i]!.emitWithAck('vote:cast', { boardId, targetId, delta: 1 })).toMatchObject({ ok: true });
    await vote(0, ids.cTech!);
    await vote(1, ids.cTech!);
    await vote(2, ids.sensor!);
    await vote(0, ids.fog!);
    await vote(2, ids.fog!);
    await fetch(`${server.url}/api/boards/${boardId}/team`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${facilitatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ teamName: 'Equipo Limarí <1>' })
    });
  });

  afterAll(async () => {
    for (const b of boards) b.destroy();
    for (const s of sockets) s.close();
    await server.close();
  });

  it('answers 401 without a token, 403 for another workshop, 404 for an unknown board', async () => {
    expect((await fetch(`${server.url}/api/boards/${boardId}/export.md`)).status).toBe(401);
    const other = await createWorkshop(server.url);
    expect((await download('md', other.facilitatorToken)).res.status).toBe(403);
    const missing = await fetch(`${server.url}/api/boards/nope/export.md`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect((await download('pdf')).res.status).toBe(400);
  });

  it('names files readably', async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Santiago' }).format(new Date());
    expect((await download('docx')).res.headers.get('content-disposition')).toBe(`attachment; filename="desafio-6-propuesta-${day}.docx"`);
    expect((await download('csv', token, 'en')).res.headers.get('content-disposition')).toBe(`attachment; filename="challenge-6-proposal-${day}.csv"`);
  });

  it('writes Markdown in order, with clusters ranked by votes and every user text escaped', async () => {
    const { res, bytes } = await download('md');
    expect(res.headers.get('content-type')).toMatch(/text\/markdown/);
    const md = new TextDecoder().decode(bytes);
    const order = ['# Borrador de propuesta', 'Equipo Limarí &lt;1&gt;', '## Contexto del desafío', 'Estrategia Regional de Desarrollo 2020', '### Pregunta 1', 'Tecnología \\[beta\\]', 'Agua lluvia', '### Pregunta 2', '## Participación', '## Propuesta', '### Problema u oportunidad', '**pequeños productores**', '- Baja de napas', '## Anexo: todas las ideas'];
    let at = -1;
    for (const marker of order) {
      const next = md.indexOf(marker, at + 1);
      expect(next, marker).toBeGreaterThan(at);
      at = next;
    }
    expect(md).toContain('apoyo total: 3 votos');
    expect(md).toContain('Universidad / centro de investigación 1');
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;');
    expect(md).toContain('\\# Título falso');
    expect(md).not.toMatch(/\n# Título falso/);
    expect(md).toContain('\\[enlace\\]');
    expect(md).toContain('\\*\\*fuerte\\*\\*');
    expect(md).toContain('Uso ineficiente &lt;riego&gt;');
    expect(md).toContain(HOSTILE.rtl);
    expect(md).toContain(EMOJI);
  });

  it('writes a CSV that a real parser reads, with a BOM and formulas neutralised', async () => {
    const { bytes } = await download('csv');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes), { bom: true, relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual(['Pregunta', 'Grupo', 'Idea', 'Autor/a', 'Sector', 'Comuna', 'votos', 'Creada']);
    expect(rows).toHaveLength(1 + 3 + Object.keys(HOSTILE).length);
    const byText = new Map(rows.map((r) => [r[2]!.replace(/^'/, ''), r]));
    expect(byText.get(HOSTILE.formula)![2]).toBe(`'${HOSTILE.formula}`);
    expect(byText.get(HOSTILE.plus)![2]).toBe(`'${HOSTILE.plus}`);
    expect(byText.get(HOSTILE.markdown)![2]).toBe(HOSTILE.markdown);
    expect(byText.get('Atrapanieblas comunitarios')).toEqual([expect.stringContaining('¿Podemos desarrollar'), 'Agua lluvia', 'Atrapanieblas comunitarios', 'Ana', 'Comunidad / sociedad civil', 'Ovalle', '2', expect.any(String)]);
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes the whole board as JSON with a version', async () => {
    const { bytes } = await download('json');
    const report = JSON.parse(new TextDecoder().decode(bytes));
    expect(report).toMatchObject({ version: 1, teamName: 'Equipo Limarí <1>', challenge: { number: 6 }, participation: { total: 3 } });
    expect(report.questions[0].clusters.map((c: { title: string }) => c.title)).toEqual(['Tecnología [beta]', 'Agua lluvia']);
    expect(report.proposal.find((s: { key: string }) => s.key === 'problema').paragraphs.map((p: { kind: string }) => p.kind)).toEqual(['p', 'p', 'bullet', 'bullet']);
  });

  it('writes a DOCX with well-formed XML, real heading styles, the chart image and escaped text', async () => {
    const { res, bytes } = await download('docx');
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const files = unzipSync(bytes);
    const xml = strFromU8(files['word/document.xml']!);
    expect(XMLValidator.validate(xml)).toBe(true);
    const headings = [...xml.matchAll(/<w:pStyle w:val="(Title|Heading\d)"\/>/g)].map((m) => m[1]);
    expect(headings.filter((h) => h === 'Heading1')).toHaveLength(6); // context, questions, Apoyo transversal, participation, proposal, annex
    expect(headings).toContain('Heading2');
    expect(headings).toContain('Heading3');
    expect(Object.keys(files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);
    const png = Object.entries(files).find(([f]) => f.startsWith('word/media/'))![1];
    expect([...png.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('texto con control  y fin');
    const text = xml.replace(/<[^>]+>/g, '');
    const order = ['Borrador de propuesta', 'Contexto del desafío', 'Pregunta 1', 'Tecnología [beta]', 'Agua lluvia', 'Participación', 'Propuesta', 'pequeños productores', 'Anexo: todas las ideas'];
    let at = -1;
    for (const marker of order) {
      const next = text.indexOf(marker, at + 1);
      expect(next, marker).toBeGreaterThan(at);
      at = next;
    }
  });

  it('writes English when asked', async () => {
    const md = new TextDecoder().decode((await download('md', token, 'en')).bytes);
    expect(md).toContain('# Proposal draft: Challenge 6');
    expect(md).toContain('## Annex: every idea');
  });

  it('tells everyone on the board the team name as it changes, and a late joiner in the join ack', async () => {
    const name = (teamName: string | null, t = facilitatorToken) =>
      fetch(`${server.url}/api/boards/${boardId}/team`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({ teamName })
      });
    const heard: (string | null)[] = [];
    sockets[1]!.on('board:team', (info) => heard.push(info.teamName));

    expect((await name('Nombre ajeno', token)).status).toBe(403);
    expect((await name('  Equipo Punitaqui  ')).status).toBe(200);
    await vi.waitFor(() => expect(heard).toEqual(['Equipo Punitaqui']));

    const late = await connectControl(server.url, token);
    sockets.push(late);
    expect(await late.emitWithAck('board:join', { boardId })).toMatchObject({ ok: true, teamName: 'Equipo Punitaqui' });

    await name('');
    await vi.waitFor(() => expect(heard).toEqual(['Equipo Punitaqui', null]));
  });

  it('refuses an idea whose createdAt is NaN, and still exports a board stored with one before that rule', async () => {
    const ana = boards[0]!;
    const before = ana.denials.length;
    ana.doc.transact(() => {
      const m = new Y.Map<unknown>();
      ana.doc.getMap('ideas').set('nan-date', m);
      const fields = { text: 'Fecha NaN', questionId: 'desafio-6-p1', clusterId: null, authorId: anaId, authorName: 'Ana', sector: 'comunidad', createdAt: Number.NaN };
      for (const [k, v] of Object.entries(fields)) m.set(k, v);
    });
    await vi.waitFor(() => expect(ana.denials.length).toBe(before + 1));
    expect(ana.denials.at(-1)!.code).toBe('INVALID_SHAPE');
    expect(server.app.rooms.peek(boardId)!.doc.getMap('ideas').has('nan-date')).toBe(false);

    // A board written before createdAt was checked may hold such values: every format still exports.
    server.app.rooms.peek(boardId)!.serverWrite('old data', (doc) => {
      const m = new Y.Map<unknown>();
      doc.getMap('ideas').set('old-nan', m);
      for (const [k, v] of Object.entries({ text: 'Dato antiguo', questionId: 'desafio-6-p1', authorId: 'x', authorName: 'X', sector: 'otro', createdAt: 1e300 })) m.set(k, v);
    });
    for (const format of ['csv', 'json', 'md', 'docx']) expect((await download(format)).res.status, format).toBe(200);
    const csv = new TextDecoder().decode((await download('csv')).bytes);
    expect(csv).toContain('Dato antiguo');
  });
});
