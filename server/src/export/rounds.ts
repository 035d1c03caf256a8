import type { BoardReport } from './board-report.ts';
import { formatDate, labels } from './labels.ts';

/** Results a round shows in the Markdown and DOCX exports (the JSON has them all). */
const SHOWN_RESULTS = 10;

export interface RoundTable {
  title: string;
  summary: string;
  header: string[];
  rows: string[][];
}

/** The "Rondas de votación" part of an export: one table per closed round, one shape for every format. */
export function roundTables(r: BoardReport): RoundTable[] {
  const L = labels(r.lang);
  return r.rounds.map((round) => ({
    title: `${L.round(round.number)} — ${L.roundOrigin[round.origin]}${round.blind ? ` (${L.roundBlind})` : ''}`,
    summary: `${round.endedAt > 0 ? `${formatDate(round.endedAt, r.lang, true)}: ` : ''}${L.roundSummary(round.dots, round.voters)}.`,
    header: ['#', L.text, L.dots, L.voters],
    rows: round.results
      .slice(0, SHOWN_RESULTS)
      .map((t, i) => [String(i + 1), `${L.kind[t.kind]}: ${t.label}`, String(t.dots), String(t.voters)])
  }));
}
