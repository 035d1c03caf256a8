import { strToU8, zipSync } from 'fflate';
import type { WorkshopResults } from '../schemas/results.ts';
import type { BoardReport } from './board-report.ts';
import { renderCsv } from './csv.ts';
import { isoDay } from './labels.ts';

/** What each file and field of the ZIP means, in both languages: the ZIP must explain itself. */
const README = `Minga — datos del taller / workshop data
=========================================

ESPAÑOL

resultados.json   Resultados del taller: personas por sector y comuna (people), cómo participó
                  cada sector (contribution: people = personas, ideas, dots = votos actuales,
                  edits = cambios escritos en los tableros, en operaciones de Yjs: caracteres y
                  campos), ideas y votos en el tiempo (timeline: intervalMinutes, points[].at =
                  inicio del intervalo en milisegundos desde 1970 UTC, ideas, dots) y, por
                  tablero (boards), sus cifras y los 5 grupos e ideas con más votos y con más
                  apoyo transversal.
desafio-N/ideas.csv
                  Una fila por idea: Pregunta, Grupo, Idea, Autor/a, Sector, Comuna, votos,
                  Creada (ISO 8601, UTC). UTF-8 con BOM (Excel lo abre con tildes); una celda que
                  empieza con = + - @ lleva un apóstrofo delante (para que no sea una fórmula).
desafio-N/tablero.json
                  El tablero completo: ideas y grupos con votes (votos), votesBySector (votos por
                  sector de quien votó), consensus (apoyo transversal, 0 a 1), supportBySector
                  (por sector: voters = personas del sector que votaron en el tablero,
                  supporters = las que votaron por esta idea o grupo, share = (supporters + 1) /
                  (voters + 2)), divisive (un sector lo apoya con fuerza y otro casi nada),
                  ranking (grupos por votos y por apoyo transversal), participación y el
                  borrador de propuesta. Su esquema (JSON Schema) está en
                  docs/board-export.schema.json del repositorio de Minga; la fórmula, en
                  docs/consensus.md.

ENGLISH

resultados.json   The workshop's results: people by sector and comuna, how each sector took part
                  (contribution: people, ideas, dots = current dots, edits = changes written to
                  the boards, in Yjs operations: characters and fields), ideas and dots over time
                  (timeline: intervalMinutes, points[].at = start of the interval in ms since
                  1970 UTC, ideas, dots) and, per board, its figures and its top 5 groups and
                  ideas by dots and by cross-sector support.
desafio-N/ideas.csv
                  One row per idea: question, group, idea, author, sector, comuna, dots,
                  created (ISO 8601, UTC). UTF-8 with a BOM; a cell starting with = + - @ gets a
                  leading apostrophe (so it is not read as a formula).
desafio-N/tablero.json
                  The whole board: ideas and groups with votes, votesBySector (by the voter's
                  sector), consensus (cross-sector support, 0 to 1), supportBySector (per
                  sector: voters = people of the sector who voted on the board, supporters =
                  those who dotted this idea or group, share = (supporters + 1) / (voters + 2)),
                  divisive, ranking (groups by dots and by cross-sector support), participation
                  and the proposal draft. Its JSON Schema is docs/board-export.schema.json in
                  Minga's repository; the formula is in docs/consensus.md.
`;

/** One ZIP of every board's CSV and JSON, the workshop's results and a README that explains them. */
export function renderWorkshopZip(results: WorkshopResults, reports: BoardReport[]): Buffer {
  const files: Record<string, Uint8Array> = {
    'README.txt': strToU8(README.replace(/\n/g, '\r\n')),
    'resultados.json': strToU8(JSON.stringify(results, null, 2))
  };
  for (const r of reports) {
    const folder = `desafio-${r.challenge.number}`;
    files[`${folder}/ideas.csv`] = strToU8(renderCsv(r));
    files[`${folder}/tablero.json`] = strToU8(JSON.stringify(r, null, 2));
  }
  return Buffer.from(zipSync(files, { level: 6, mtime: new Date(results.generatedAt) }));
}

export const workshopFilename = (results: WorkshopResults, lang: BoardReport['lang'], ext: 'docx' | 'zip') =>
  `${lang === 'en' ? 'workshop' : 'taller'}-${results.workshop.code}-${lang === 'en' ? 'results' : 'resultados'}-${isoDay(new Date(results.generatedAt))}.${ext}`;
