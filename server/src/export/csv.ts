import { SECTORS } from '../../../seed/reference.ts';
import type { BoardReport } from './board-report.ts';
import { labels } from './labels.ts';

/** UTF-8 byte order mark: Excel in Spanish then reads accents right. */
const BOM = '\uFEFF';

/**
 * One CSV cell: formula injection neutralised (OWASP: a cell starting with = + - @ tab or CR gets a
 * leading apostrophe), then quoted per RFC 4180.
 */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per idea: question, cluster, text, author, sector, comuna, votes, created. */
export function renderCsv(r: BoardReport): string {
  const L = labels(r.lang);
  const question = new Map(r.questions.map((q) => [q.id, q.text]));
  const sector = (id: string) => SECTORS.find((s) => s.id === id)?.label[r.lang] ?? id;
  const header = [L.question, L.cluster, L.text, L.author, L.sector, L.comuna, L.votes(2).replace(/^2 /, ''), L.created];
  const rows = r.ideas.map((i) => [
    question.get(i.questionId) ?? i.questionId,
    i.clusterTitle ?? '',
    i.text,
    i.authorName,
    sector(i.sector),
    i.comuna,
    i.votes,
    i.createdAt > 0 ? new Date(i.createdAt).toISOString() : ''
  ]);
  return BOM + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
