import * as Y from 'yjs';
import type { BoardReport } from '../schemas/board-report.ts';
import type { BoardResults, RankedTarget } from '../schemas/results.ts';

/** How many groups and ideas of each ranking a board shows in the workshop's results. */
export const RESULTS_TOP = 5;

/** What the workshop's results need of one board, computed once per change of its doc. */
export interface BoardSummary {
  results: BoardResults;
  /** createdAt of every idea (0 when unknown). */
  ideaTimes: number[];
  /** Ideas and current dots by the author's / voter's participant id. */
  ideasBy: Map<string, number>;
  dotsBy: Map<string, number>;
  /** Yjs operations each participant wrote on this board (from the doc's state vector). */
  editsBy: Map<string, number>;
}

const byDots = (a: RankedTarget, b: RankedTarget) => b.dots - a.dots || b.consensus - a.consensus || a.title.localeCompare(b.title, 'es');
const byConsensus = (a: RankedTarget, b: RankedTarget) => b.consensus - a.consensus || b.dots - a.dots || a.title.localeCompare(b.title, 'es');

/**
 * `report` is the board's export report (one reading of the doc); `owners` maps the board's Yjs
 * clientIDs to participants (board_clients).
 */
export function summariseBoard(report: BoardReport, doc: Y.Doc, owners: Map<number, string>): BoardSummary {
  const questionNumber = new Map(report.questions.map((q, i) => [q.id, i + 1]));
  const groups: RankedTarget[] = report.questions.flatMap((q, i) =>
    q.clusters.map((c) => ({ id: c.id, kind: 'group' as const, title: c.title, questionNumber: i + 1, dots: c.support, consensus: c.consensus, divisive: c.divisive }))
  );
  const ideas: RankedTarget[] = report.ideas.map((idea) => ({
    id: idea.id,
    kind: 'idea' as const,
    title: idea.text,
    questionNumber: questionNumber.get(idea.questionId) ?? 1,
    dots: idea.votes,
    consensus: idea.consensus,
    divisive: idea.divisive
  }));
  const top = (list: RankedTarget[], order: (a: RankedTarget, b: RankedTarget) => number) => [...list].sort(order).slice(0, RESULTS_TOP);

  const ideasBy = new Map<string, number>();
  const authors = doc.getMap<Y.Map<unknown>>('ideas');
  for (const m of authors.values()) {
    const author = m instanceof Y.Map ? m.get('authorId') : undefined;
    if (typeof author === 'string') ideasBy.set(author, (ideasBy.get(author) ?? 0) + 1);
  }
  const dotsBy = new Map<string, number>();
  let dots = 0;
  for (const [key, n] of doc.getMap<number>('votes')) {
    const voter = key.slice(key.lastIndexOf('|') + 1);
    dotsBy.set(voter, (dotsBy.get(voter) ?? 0) + n);
    dots += n;
  }
  const editsBy = new Map<string, number>();
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
    const owner = owners.get(client);
    if (owner !== undefined) editsBy.set(owner, (editsBy.get(owner) ?? 0) + clock);
  }

  return {
    results: {
      boardId: report.board.id,
      challenge: { number: report.challenge.number, title: report.challenge.title },
      ideas: ideas.length,
      groups: groups.length,
      dots,
      participants: report.participation.total,
      groupsByDots: top(groups, byDots),
      groupsByConsensus: top(groups, byConsensus),
      ideasByDots: top(ideas, byDots),
      ideasByConsensus: top(ideas, byConsensus)
    },
    ideaTimes: report.ideas.map((i) => i.createdAt),
    ideasBy,
    dotsBy,
    editsBy
  };
}
