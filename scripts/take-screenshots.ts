/**
 * Takes the README / docs screenshots: the home page, and a board with 24 ideas in groups with
 * votes, on a desktop, a 360 px phone and a 1920 px projector. Writes to docs/screenshots/ (or
 * the folder given). Needs web/build (`npm run build`) and Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea } from '../tests/helpers/clients.ts';
import { launchBrowser, newPerson, WEB_ROOT } from '../tests/helpers/browser.ts';
import { startServer } from '../tests/helpers/server.ts';

const out = process.argv[2] ?? joinPath(import.meta.dirname, '../docs/screenshots');
mkdirSync(out, { recursive: true });
const server = await startServer({ MINGA_WEB_ROOT: WEB_ROOT });
const ws = await createWorkshop(server.url, ['desafio-6', 'desafio-7', 'desafio-8']);
const boardId = ws.boards[0]!.id;

const people = [
  ['Ana Pérez', 'comunidad', 'Ovalle'],
  ['Beto Rojas', 'universidad', 'La Serena'],
  ['Carla Díaz', 'mipyme', 'Vicuña'],
  ['Daniel Soto', 'sector_publico', 'Coquimbo'],
  ['Elena Tapia', 'organizacion_social', 'Monte Patria'],
  ['Francisco Araya', 'comunidad', 'Canela']
] as const;
const joined = await Promise.all(people.map(([name, sector, comuna]) => join(server.url, ws.code, { name, sector, comuna })));
const docs = joined.map((j) => connectBoard(server.wsUrl, boardId, j.token));
await Promise.all(docs.map((d) => d.synced));
const who = joined.map((j, i) => ({ id: j.participantId, name: people[i]![0], sector: people[i]![1] }));
const Q = (n: number) => `desafio-6-p${n}`;
const a = docs[0]!.doc;
const groups = {
  captar: createCluster(a, { title: 'Captar y guardar agua', questionId: Q(1) }),
  medir: createCluster(a, { title: 'Medir para cuidar', questionId: Q(1) }),
  mesa: createCluster(a, { title: 'Gestión comunitaria', questionId: Q(2) }),
  reuso: createCluster(a, { title: 'Reúso del agua', questionId: Q(3) }),
  tecnologia: createCluster(a, { title: 'Tecnología para pequeños productores', questionId: Q(4) })
};
const ideas: [number, string, number, string | null][] = [
  [0, 'Atrapanieblas comunitarios en Canela y La Higuera', 1, groups.captar],
  [1, 'Estanques de aguas lluvia en escuelas rurales', 1, groups.captar],
  [2, 'Cosecha de agua en techos de sedes vecinales', 1, groups.captar],
  [3, 'Medidores visibles de consumo en cada escuela', 1, groups.medir],
  [4, 'Mapa abierto de pozos y vertientes', 1, groups.medir],
  [5, 'Sensores de humedad de suelo de bajo costo', 1, groups.medir],
  [0, 'Duchas de bajo flujo en viviendas sociales', 1, null],
  [1, 'Mesa de agua por cuenca con juntas de vecinos y APR', 2, groups.mesa],
  [2, 'Turnos de riego acordados por WhatsApp', 2, groups.mesa],
  [3, 'Fondo rotatorio para reparar filtraciones', 2, groups.mesa],
  [4, 'Asambleas de agua itinerantes en localidades rurales', 2, null],
  [5, 'Registro comunitario de derechos de agua', 2, null],
  [0, 'Reutilizar aguas grises para regar plazas', 3, groups.reuso],
  [1, 'Humedales artificiales para tratar aguas servidas', 3, groups.reuso],
  [2, 'Agua tratada para riego de áreas verdes municipales', 3, groups.reuso],
  [3, 'Acuerdos entre mineras y agricultores por el agua', 3, null],
  [4, 'Priorizar consumo humano en años de sequía', 3, null],
  [5, 'Riego por goteo compartido entre parceleros', 4, groups.tecnologia],
  [0, 'Capacitación en riego eficiente para MiPyMEs', 4, groups.tecnologia],
  [1, 'Estaciones meteorológicas compartidas', 4, groups.tecnologia],
  [2, 'Desalinización pequeña con energía solar', 4, groups.tecnologia],
  [3, 'Subsidio para tecnificar el riego de pequeños productores', 4, null],
  [4, 'Vitrina de innovaciones hídricas de la región', 4, null],
  [5, 'Universidades acompañan a comunidades agrícolas', 4, null]
];
const ids = ideas.map(([p, text, q, c]) => postIdea(docs[p]!.doc, who[p]!, { text, questionId: Q(q), clusterId: c }));
await new Promise((r) => setTimeout(r, 800));
const sockets = await Promise.all(joined.map((j) => connectControl(server.url, j.token)));
for (const s of sockets) await s.emitWithAck('board:join', { boardId });
const votes: [number, string][] = [
  [0, groups.captar], [1, groups.captar], [2, groups.captar], [3, ids[0]!], [4, ids[0]!], [5, groups.mesa],
  [0, groups.mesa], [1, ids[7]!], [2, ids[17]!], [3, groups.tecnologia], [4, groups.tecnologia], [5, ids[12]!],
  [0, ids[3]!], [1, groups.reuso], [2, groups.medir]
];
for (const [p, t] of votes) await sockets[p]!.emitWithAck('vote:cast', { boardId, targetId: t, delta: 1 });

const browser = await launchBrowser();
const shots: [string, { width: number; height: number }, string, boolean][] = [
  ['inicio-escritorio.png', { width: 1366, height: 900 }, '/', true],
  ['inicio-telefono.png', { width: 360, height: 780 }, '/', false],
  ['tablero-escritorio.png', { width: 1366, height: 900 }, `/tablero/${boardId}`, false],
  ['tablero-telefono.png', { width: 360, height: 780 }, `/tablero/${boardId}`, false],
  ['tablero-proyector.png', { width: 1920, height: 1080 }, `/tablero/${boardId}`, false]
];
for (const [file, viewport, path, fullPage] of shots) {
  const page = await newPerson(browser, viewport);
  // Visit as Ana: her token is what the join page would have stored.
  await page.goto(`${server.url}/`);
  await page.evaluate(([code, token, id]) => localStorage.setItem(`minga:part:${code}`, JSON.stringify({ token, participantId: id })), [ws.code, joined[0]!.token, joined[0]!.participantId]);
  await page.goto(server.url + path);
  if (path.startsWith('/tablero')) await page.getByText('Captar y guardar agua', { exact: true }).first().waitFor();
  else await page.getByText('Desafío 8').first().waitFor();
  await page.waitForTimeout(600);
  await page.screenshot({ path: joinPath(out, file), fullPage });
  await page.context().close();
}
await browser.close();
for (const s of sockets) s.close();
for (const d of docs) d.destroy();
await server.close();
process.stdout.write(`Capturas en ${out}\n`);
process.exit(0);
