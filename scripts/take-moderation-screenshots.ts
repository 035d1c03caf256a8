/**
 * Screenshots of moderation at a realistic size: the control room's waiting list (desktop and
 * 360 px phone), a participant waiting for approval on a phone, and a facilitator's board of 120
 * ideas with hidden ones among them. Writes to
 * docs/screenshots/ (or the folder given). Needs web/build (`npm run build`) and Debian's Chromium.
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
const topics = ['Atrapanieblas', 'Estanques de aguas lluvia', 'Medidores de consumo', 'Mesa de agua por cuenca', 'Riego por goteo', 'Reúso de aguas grises', 'Humedales artificiales', 'Sensores de humedad', 'Capacitación en riego', 'Registro de pozos'];
const places = ['Canela', 'La Higuera', 'Ovalle', 'Vicuña', 'Illapel', 'Combarbalá', 'Monte Patria', 'Salamanca', 'Los Vilos', 'Paihuano', 'Andacollo', 'Punitaqui'];
const ids: string[] = [];
for (let q = 1; q <= 4; q++) {
  const clusters = [0, 1, 2].map((g) => createCluster(docs[0]!.doc, { title: `${topics[(q * 3 + g) % topics.length]} (${places[g]})`, questionId: Q(q) }));
  for (let i = 0; i < 30; i++) {
    const p = (q + i) % people.length;
    const text = `${topics[(q + i) % topics.length]} en ${places[i % places.length]}: ${i % 3 === 0 ? 'con las juntas de vecinos y la APR' : i % 3 === 1 ? 'piloto en dos escuelas rurales' : 'financiado por un fondo rotatorio'}`;
    ids.push(postIdea(docs[p]!.doc, who[p]!, { text, questionId: Q(q), clusterId: i < 18 ? clusters[i % 3]! : null }));
  }
}
await new Promise((r) => setTimeout(r, 1500));
const control = await connectControl(server.url, ws.facilitatorToken);
await control.emitWithAck('board:join', { boardId });
// Off-topic or offensive: hidden by the facilitator, kept for them.
const hidden = [
  postIdea(docs[5]!.doc, who[5]!, { text: 'Este taller es una pérdida de tiempo, váyanse todos', questionId: Q(1) }),
  postIdea(docs[3]!.doc, who[3]!, { text: 'Vendo camioneta 4x4, llamar al +56 9 1234 5678', questionId: Q(1), clusterId: null })
];
await new Promise((r) => setTimeout(r, 500));
for (const ideaId of hidden) await control.emitWithAck('session:command', { boardId, action: 'hide', ideaId, hidden: true });
await control.emitWithAck('joining:set', { policy: 'approval' });
for (const [name, sector, comuna] of [
  ['Gabriela Muñoz', 'universidad', 'Coquimbo'],
  ['Héctor Vega', 'mipyme', 'Ovalle'],
  ['Isidora Castillo Rojas de la Fuente', 'organizacion_social', 'Río Hurtado'],
  ['Joaquín Pizarro', 'sector_publico', 'La Serena']
]) {
  await fetch(`${server.url}/api/workshops/${ws.code}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, sector, comuna })
  });
}

const browser = await launchBrowser();
async function facilitatorPage(viewport: { width: number; height: number }) {
  const page = await newPerson(browser, viewport);
  await page.goto(`${server.url}/taller/${ws.code}/facilitar#${ws.facilitatorToken}`);
  await page.getByRole('heading', { name: 'Taller de prueba' }).waitFor();
  return page;
}
for (const [file, viewport] of [
  ['sala-de-control-espera.png', { width: 1366, height: 900 }],
  ['sala-de-control-espera-telefono.png', { width: 360, height: 780 }]
] as const) {
  const page = await facilitatorPage(viewport);
  await page.goto(`${server.url}/taller/${ws.code}/control`);
  await page.getByRole('heading', { name: 'En espera (4)' }).waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: joinPath(out, file), fullPage: viewport.width < 500 });
  await page.context().close();
}
const phone = await newPerson(browser, { width: 360, height: 780 });
await phone.goto(`${server.url}/taller/${ws.code}`);
await phone.getByLabel('Nombre').fill('Karina Olivares');
await phone.getByLabel('Sector').selectOption('comunidad');
await phone.getByLabel('Comuna').selectOption('Andacollo');
await phone.getByRole('button', { name: 'Pedir unirme' }).click();
await phone.getByRole('heading', { name: 'Esperando a la facilitación' }).waitFor();
await phone.screenshot({ path: joinPath(out, 'espera-telefono.png') });
await phone.context().close();

const page = await facilitatorPage({ width: 1366, height: 900 });
await page.goto(`${server.url}/tablero/${boardId}`);
await page.getByText('Vendo camioneta 4x4, llamar al +56 9 1234 5678').waitFor();
const card = page.locator('[data-idea-card]', { hasText: 'Vendo camioneta' });
await card.scrollIntoViewIfNeeded();
await page.waitForTimeout(600);
await page.screenshot({ path: joinPath(out, 'tablero-idea-oculta.png') });
await browser.close();
control.close();
for (const d of docs) d.destroy();
await server.close();
process.stdout.write(`Capturas en ${out}\n`);
process.exit(0);
