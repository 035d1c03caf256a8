/**
 * The manual check of the proposal draft (issue 4): builds a sample board on a throw-away server,
 * exports it, and writes propuesta.docx and propuesta.md into the folder given (default
 * /tmp/minga-propuesta). Then: `libreoffice --headless --convert-to pdf propuesta.docx` and
 * `pdftoppm -r 70 -png propuesta.pdf pagina` to look at the pages (docs/screenshots/propuesta-*.png).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { startServer } from '../tests/helpers/server.ts';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea } from '../tests/helpers/clients.ts';
import * as Y from 'yjs';
const out = process.argv[2] ?? '/tmp/minga-propuesta';
mkdirSync(out, { recursive: true });
const server = await startServer();
const ws = await createWorkshop(server.url, ['desafio-6']);
const boardId = ws.boards[0]!.id;
// Five sectors, and three more people of comunidad who pile their dots on one group: the groups
// rank one way by dots and another by cross-sector support (docs/screenshots/propuesta-apoyo-transversal.png).
const people = [['Ana Pérez','comunidad','Ovalle'],['Beto Rojas','universidad','La Serena'],['Carla Díaz','mipyme','Vicuña'],['Daniel Soto','sector_publico','Coquimbo'],['Elena Tapia','organizacion_social','Monte Patria'],['Fabián Cortés','comunidad','Ovalle'],['Gloria Araya','comunidad','Ovalle'],['Héctor Vega','comunidad','Monte Patria']];
const joined = await Promise.all(people.map(([name, sector, comuna]) => join(server.url, ws.code, { name, sector, comuna })));
const boards = joined.map((j) => connectBoard(server.wsUrl, boardId, j.token));
await Promise.all(boards.map((b) => b.synced));
const who = joined.map((j, i) => ({ id: j.participantId, name: people[i]![0]!, sector: people[i]![1]! }));
const a = boards[0]!.doc;
const c1 = createCluster(a, { title: 'Captación de agua', questionId: 'desafio-6-p1' });
const c2 = createCluster(a, { title: 'Tecnología para el riego', questionId: 'desafio-6-p1' });
const c3 = createCluster(a, { title: 'Gobernanza del agua', questionId: 'desafio-6-p2' });
const ideas = [
  [0, 'Atrapanieblas comunitarios en la costa de Canela y Los Vilos', 'desafio-6-p1', c1],
  [1, 'Estanques de acumulación de aguas lluvia en escuelas rurales', 'desafio-6-p1', c1],
  [2, 'Sensores de humedad de suelo de bajo costo para pequeños agricultores', 'desafio-6-p1', c2],
  [3, 'Riego por goteo compartido entre vecinos', 'desafio-6-p1', c2],
  [4, 'Mesa de agua por cuenca con comunidades agrícolas', 'desafio-6-p2', c3],
  [0, 'Registro abierto del uso del agua por sector', 'desafio-6-p2', c3],
  [1, 'Reutilización de aguas grises en viviendas', 'desafio-6-p3', null],
  [2, 'Capacitación en eficiencia hídrica para MiPyMEs', 'desafio-6-p4', null]
] as const;
const ids = ideas.map(([p, text, q, c]) => postIdea(boards[p]!.doc, who[p]!, { text, questionId: q, clusterId: c }));
a.transact(() => {
  const t = new Y.Text(); a.getMap('proposal').set('problema', t);
  t.insert(0, 'La escasez hídrica de la Región de Coquimbo afecta especialmente a ');
  t.insert(t.length, 'pequeños productores y comunidades rurales', { bold: true });
  t.insert(t.length, ', que dependen de pozos y de la lluvia.\nPrincipales causas:\n', { bold: null });
  t.insert(t.length, 'Baja sostenida de las napas'); t.insert(t.length, '\n', { list: 'bullet' });
  t.insert(t.length, 'Uso poco eficiente del agua en el riego'); t.insert(t.length, '\n', { list: 'bullet' });
  const s = new Y.Text(); a.getMap('proposal').set('solucion', s);
  s.insert(0, 'Una red de atrapanieblas y estanques comunitarios, gestionada por una mesa de agua local, con sensores de humedad que indican cuándo regar.\n');
});
await new Promise((r) => setTimeout(r, 500));
const sockets = await Promise.all(joined.map((j) => connectControl(server.url, j.token)));
for (const s of sockets) await s.emitWithAck('board:join', { boardId });
// Captación: a dot from each of the five sectors (7 in all). Tecnología: 9 dots from comunidad alone.
// Gobernanza: sector público and organización social (4).
const votes: [number, string][] = [[0,c1],[0,ids[0]!],[1,c1],[1,ids[0]!],[2,c1],[3,c1],[4,c1],[3,c3],[3,ids[4]!],[4,c3],[4,ids[4]!],[5,c2],[5,c2],[5,c2],[6,c2],[6,c2],[6,c2],[7,c2],[7,c2],[7,ids[3]!]];
for (const [p, t] of votes) {
  const ack = await sockets[p]!.emitWithAck('vote:cast', { boardId, targetId: t, delta: 1 });
  if (!ack.ok) throw new Error(`vote:cast refused: ${JSON.stringify(ack)}`);
}
await fetch(`${server.url}/api/boards/${boardId}/team`, { method: 'PUT', headers: { authorization: `Bearer ${ws.facilitatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ teamName: 'Equipo Agua Limarí' }) });
for (const f of ['docx', 'md']) {
  const res = await fetch(`${server.url}/api/boards/${boardId}/export.${f}`, { headers: { authorization: `Bearer ${ws.facilitatorToken}` } });
  writeFileSync(joinPath(out, `propuesta.${f}`), Buffer.from(await res.arrayBuffer()));
}
process.stdout.write(`Escrito en ${out}\n`);
process.exit(0);
