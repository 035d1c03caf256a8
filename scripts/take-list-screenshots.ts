/**
 * The list view's screenshots (issue 11) on a big board: about 300 ideas over the four questions
 * of Desafío 6, in groups, with votes from six people of different sectors. Writes
 * lista-escritorio.png (1366 px) and lista-telefono.png (360 px) to docs/screenshots/ (or the
 * folder given). Needs web/build (`npm run build`) and Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea } from '../tests/helpers/clients.ts';
import { launchBrowser, newPerson, WEB_ROOT } from '../tests/helpers/browser.ts';
import { startServer } from '../tests/helpers/server.ts';

const out = process.argv[2] ?? joinPath(import.meta.dirname, '../docs/screenshots');
mkdirSync(out, { recursive: true });
const server = await startServer({ MINGA_WEB_ROOT: WEB_ROOT });
const ws = await createWorkshop(server.url, ['desafio-6']);
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
const groupTitles = [
  ['Captar y guardar agua', 'Medir para cuidar', 'Educación hídrica'],
  ['Gestión comunitaria', 'Acuerdos entre usuarios'],
  ['Reúso del agua', 'Tratamiento natural'],
  ['Tecnología para pequeños productores', 'Financiamiento']
];
const groups = groupTitles.map((titles, q) => titles.map((title) => createCluster(a, { title, questionId: Q(q + 1) })));
const subjects = ['atrapanieblas', 'estanques de aguas lluvia', 'riego por goteo', 'medidores de consumo', 'aguas grises', 'humedales', 'sensores de humedad', 'turnos de riego', 'mapas de pozos', 'talleres en escuelas'];
const places = ['Canela', 'La Higuera', 'Ovalle', 'Monte Patria', 'Vicuña', 'Illapel', 'Combarbalá', 'Punitaqui', 'Salamanca', 'Andacollo'];
const ids: string[] = [];
for (let i = 0; i < 300; i++) {
  const q = i % 4;
  const g = groups[q]!;
  // About two thirds in groups, the rest waiting in "Sin grupo".
  const clusterId = i % 3 === 2 ? null : g[i % g.length]!;
  const text = `${subjects[i % subjects.length]![0]!.toUpperCase()}${subjects[i % subjects.length]!.slice(1)} en ${places[(i * 7) % places.length]} (${i + 1})`;
  ids.push(postIdea(docs[i % 6]!.doc, who[i % 6]!, { text, questionId: Q(q + 1), clusterId }));
}
await new Promise((r) => setTimeout(r, 1000));
const sockets = await Promise.all(joined.map((j) => connectControl(server.url, j.token)));
for (const s of sockets) await s.emitWithAck('board:join', { boardId });
// Each person gives their five dots: to the first ideas of the first question, and a group.
for (const [p, s] of sockets.entries()) {
  const targets = [ids[0]!, ids[4]!, ids[(p * 4) % 40]!, groups[0]![0]!, groups[p % 4]![0]!];
  for (const t of targets) await s.emitWithAck('vote:cast', { boardId, targetId: t, delta: 1 });
}

const browser = await launchBrowser();
const shots: [string, { width: number; height: number }][] = [
  ['lista-escritorio.png', { width: 1366, height: 900 }],
  ['lista-telefono.png', { width: 360, height: 780 }]
];
for (const [file, viewport] of shots) {
  const page = await newPerson(browser, viewport);
  await page.goto(`${server.url}/`);
  await page.evaluate(([code, token, id]) => localStorage.setItem(`minga:part:${code}`, JSON.stringify({ token, participantId: id })), [ws.code, joined[0]!.token, joined[0]!.participantId]);
  await page.goto(`${server.url}/tablero/${boardId}?vista=lista`);
  await page.getByRole('heading', { level: 3, name: 'Captar y guardar agua' }).waitFor();
  await page.getByText(/^\s*\d+ votos? \(/).first().waitFor();
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: joinPath(out, file) });
  await page.context().close();
}
await browser.close();
for (const s of sockets) s.close();
for (const d of docs) d.destroy();
await server.close();
process.stdout.write(`Capturas en ${out}\n`);
process.exit(0);
