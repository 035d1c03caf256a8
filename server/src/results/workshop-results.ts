import { COMUNAS, SECTORS } from '../../../seed/reference.ts';
import type { Lang } from '../export/board-report.ts';
import type { WorkshopResults } from '../schemas/results.ts';
import type { BoardSummary } from './board-summary.ts';
import { timeline } from './timeline.ts';

export interface ResultsInput {
  workshop: { code: string; title: string; publishedAt: number | null };
  boards: BoardSummary[];
  people: { id: string; sector: string; comuna: string }[];
  /** Dots given (+1) and withdrawn (-1), with their time. */
  voteEvents: { delta: number; createdAt: number }[];
  lang: Lang;
  now: number;
}

/** The workshop's results from its boards' summaries, its people and its vote times. */
export function workshopResults(input: ResultsInput): WorkshopResults {
  const { people, boards, lang } = input;
  const sectorOf = new Map(people.map((p) => [p.id, p.sector]));
  const sum = (pick: (b: BoardSummary) => Map<string, number>, sector: string) => {
    let n = 0;
    for (const b of boards) for (const [who, count] of pick(b)) if ((sectorOf.get(who) ?? 'otro') === sector) n += count;
    return n;
  };
  const bySector = SECTORS.map((s) => ({ sector: s.id as string, label: s.label[lang], count: people.filter((p) => p.sector === s.id).length }));
  return {
    workshop: { code: input.workshop.code, title: input.workshop.title },
    publishedAt: input.workshop.publishedAt,
    generatedAt: input.now,
    people: {
      total: people.length,
      bySector: bySector.filter((s) => s.count > 0),
      byComuna: COMUNAS.map((comuna) => ({ comuna: comuna as string, count: people.filter((p) => p.comuna === comuna).length })).filter((c) => c.count > 0)
    },
    contribution: bySector
      .map((s) => ({
        sector: s.sector,
        label: s.label,
        people: s.count,
        ideas: sum((b) => b.ideasBy, s.sector),
        dots: sum((b) => b.dotsBy, s.sector),
        edits: sum((b) => b.editsBy, s.sector)
      }))
      .filter((c) => c.people > 0 || c.ideas > 0 || c.dots > 0),
    timeline: timeline(
      boards.flatMap((b) => b.ideaTimes),
      input.voteEvents.filter((e) => e.delta > 0).map((e) => e.createdAt)
    ),
    boards: boards.map((b) => b.results)
  };
}
