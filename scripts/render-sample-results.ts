/**
 * The manual check of the workshop's report (issue 12): two boards on a throw-away server, then
 * GET /api/workshops/:code/results.docx into the folder given (default /tmp/minga-resultados).
 * Then, as for the proposal (docs/proposal-export.md): `libreoffice --headless --convert-to pdf
 * resultados.docx` and `pdftoppm -r 70 -png resultados.pdf pagina` (docs/screenshots/resultados-docx-*.png).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { startServer } from '../tests/helpers/server.ts';
import { connectBoard, connectControl, createCluster, createWorkshop, join, postIdea } from '../tests/helpers/clients.ts';

const out = process.argv[2] ?? '/tmp/minga-resultados';
mkdirSync(out, { recursive: true });
const server = await startServer();
const ws = await createWorkshop(server.url, ['desafio-6', 'desafio-7']);
const [b6, b7] = [ws.boards[0]!.id, ws.boards[1]!.id];
const people = [
  ['Ana Pérez', 'comunidad', 'Ovalle'],
  ['Beto Rojas', 'universidad', 'La Serena'],
  ['Carla Díaz', 'mipyme', 'Vicuña'],
  ['Daniel Soto', 'sector_publico', 'Coquimbo'],
  ['Fabián Cortés', 'comunidad', 'Ovalle'],
  ['Gloria Araya', 'comunidad', 'Monte Patria']
] as const;
const joined = await Promise.all(people.map(([name, sector, comuna]) => join(server.url, ws.code, { name, sector, comuna })));
const who = joined.map((j, i) => ({ id: j.participantId, name: people[i]![0], sector: people[i]![1] }));
const a6 = connectBoard(server.wsUrl, b6, joined[0]!.token);
const a7 = connectBoard(server.wsUrl, b7, joined[1]!.token);
await Promise.all([a6.synced, a7.synced]);
const captacion = createCluster(a6.doc, { title: 'Captación de agua', questionId: 'desafio-6-p1' });
const riego = createCluster(a6.doc, { title: 'Tecnología para el riego', questionId: 'desafio-6-p1' });
postIdea(a6.doc, who[0]!, { text: 'Atrapanieblas comunitarios en la costa', questionId: 'desafio-6-p1', clusterId: captacion });
postIdea(a6.doc, who[0]!, { text: 'Riego por goteo compartido entre vecinos', questionId: 'desafio-6-p1', clusterId: riego });
const conectividad = createCluster(a7.doc, { title: 'Conectividad rural', questionId: 'desafio-7-p1' });
postIdea(a7.doc, who[1]!, { text: 'Wifi en la posta rural', questionId: 'desafio-7-p1', clusterId: conectividad });
postIdea(a7.doc, who[1]!, { text: 'Buses de acercamiento a los consultorios', questionId: 'desafio-7-p2' });
await new Promise((r) => setTimeout(r, 500));
const sockets = await Promise.all(joined.map((j) => connectControl(server.url, j.token)));
const votes: [number, string, string][] = [
  // Desafío 6: Captación, a dot from each of four sectors; Tecnología, 8 dots from comunidad.
  ...[0, 1, 2, 3].map((p) => [p, b6, captacion] as [number, string, string]),
  ...[4, 5].flatMap((p) => Array.from({ length: 4 }, () => [p, b6, riego] as [number, string, string])),
  ...[1, 3].map((p) => [p, b7, conectividad] as [number, string, string])
];
for (const s of sockets) for (const boardId of [b6, b7]) await s.emitWithAck('board:join', { boardId });
for (const [p, boardId, targetId] of votes) {
  const ack = await sockets[p]!.emitWithAck('vote:cast', { boardId, targetId, delta: 1 });
  if (!ack.ok) throw new Error(`vote:cast refused: ${JSON.stringify(ack)}`);
}
await new Promise((r) => setTimeout(r, 500));
const res = await fetch(`${server.url}/api/workshops/${ws.code}/results.docx`, { headers: { authorization: `Bearer ${ws.facilitatorToken}` } });
if (!res.ok) throw new Error(`results.docx: ${res.status}`);
writeFileSync(joinPath(out, 'resultados.docx'), Buffer.from(await res.arrayBuffer()));
process.stdout.write(`Escrito en ${out}\n`);
process.exit(0);
