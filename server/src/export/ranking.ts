import { SECTORS } from '../../../seed/reference.ts';
import type { BoardReport, RankedCluster } from './board-report.ts';
import { formatIndex, labels } from './labels.ts';

export interface RankingTable {
  title: string;
  header: string[];
  rows: string[][];
}

/**
 * The "Apoyo transversal" part of an export as plain text tables, one shape for every format:
 * the groups ranked by cross-sector support and by dots, each row with both figures and the
 * sector breakdown in words (never only a colour).
 */
export function rankingTables(r: BoardReport): RankingTable[] {
  const L = labels(r.lang);
  const clusters = new Map(r.questions.flatMap((q) => q.clusters.map((c) => [c.id, c] as const)));
  const qIndex = new Map(r.questions.map((q, i) => [q.id, i + 1]));
  // The short name ("Comunidad", not "Comunidad / sociedad civil"): the table has six sectors to fit.
  const sectorLabel = (id: string) => SECTORS.find((s) => s.id === id)?.label[r.lang].split(' / ')[0] ?? id;
  const breakdown = (id: string) =>
    Object.entries(clusters.get(id)?.supportBySector ?? {})
      .map(([sector, s]) => `${sectorLabel(sector)} ${s.supporters}/${s.voters}`)
      .join(', ');
  const row = (c: RankedCluster, n: number) => [
    String(n + 1),
    c.title + (c.divisive ? ` (${L.divisive})` : ''),
    String(qIndex.get(c.questionId) ?? ''),
    formatIndex(c.consensus, r.lang),
    String(c.support),
    breakdown(c.id)
  ];
  const header = ['#', L.group, L.questionShort, L.consensusIndex, L.dots, L.supportBySector];
  return [
    { title: L.byConsensus, header, rows: r.ranking.byConsensus.map(row) },
    { title: L.byDots, header, rows: r.ranking.byDots.map(row) }
  ];
}

/** Whether anyone has voted: before that every index is 0 and the ranking says nothing. */
export const hasVotes = (r: BoardReport) => r.ideas.some((i) => i.votes > 0) || r.questions.some((q) => q.clusters.some((c) => c.votes > 0));
