import * as Y from 'yjs';
import { PROPOSAL_SECTIONS } from '../../../seed/proposal.ts';
import { COMUNAS, SECTORS, type SectorId } from '../../../seed/reference.ts';
import { isTimestamp } from '../../../contract/board-document.ts';
import { boardSupport, parseVoteKey } from '../../../contract/board-support.ts';
import type { TargetSupport } from '../../../contract/consensus.ts';
import type { BoardReport, ClusterReport, IdeaReport, RankedCluster, VotingRoundReport } from '../schemas/board-report.ts';
import type { Challenge } from '../schemas/challenges.ts';
import { textToParagraphs } from './rich-text.ts';

export type Lang = 'es' | 'en';

export type { BoardReport, ClusterReport, IdeaReport, RankedCluster } from '../schemas/board-report.ts';

interface ParticipantEntry {
  name?: string;
  sector?: string;
  comuna?: string;
}

const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
/** A board stored before `createdAt` was validated may hold NaN or 1e300: read those as unknown (0). */
const time = (v: unknown) => (isTimestamp(v) ? v : 0);
const byVotes = <T extends { votes: number; createdAt?: number }>(a: T, b: T) => b.votes - a.votes || (a.createdAt ?? 0) - (b.createdAt ?? 0);

/** Everything an export shows, read from the board doc once; every format renders this. */
export function buildBoardReport(input: {
  doc: Y.Doc;
  boardId: string;
  workshop: { code: string; title: string };
  teamName: string | null;
  challenge: Challenge;
  lang: Lang;
  now: Date;
  /** Closed voting rounds (server/src/sessions/vote-rounds.ts); the doc's `votes` is the current one. */
  rounds?: readonly VotingRoundReport[];
}): BoardReport {
  const { doc, challenge, lang } = input;
  const participants = doc.getMap<ParticipantEntry>('participants').toJSON() as Record<string, ParticipantEntry>;

  // Dots per target, and per target by the voter's sector.
  const votes = new Map<string, { total: number; bySector: Partial<Record<SectorId, number>> }>();
  for (const [key, dots] of doc.getMap<number>('votes')) {
    const parsed = parseVoteKey(key);
    if (!parsed) continue;
    const target = parsed.targetId;
    const sector = (participants[parsed.voterId]?.sector ?? 'otro') as SectorId;
    const entry = votes.get(target) ?? { total: 0, bySector: {} };
    entry.total += dots;
    entry.bySector[sector] = (entry.bySector[sector] ?? 0) + dots;
    votes.set(target, entry);
  }

  const clusterTitles = new Map<string, { title: string; questionId: string; createdAt: number }>();
  for (const [id, c] of doc.getMap<Y.Map<unknown>>('clusters')) {
    if (!(c instanceof Y.Map)) continue;
    clusterTitles.set(id, { title: str(c.get('title')), questionId: str(c.get('questionId')), createdAt: time(c.get('createdAt')) });
  }

  const ideaMap = doc.getMap<Y.Map<unknown>>('ideas');
  const clusterOfIdea = (id: string) => {
    const m = ideaMap.get(id);
    const c = m instanceof Y.Map ? str(m.get('clusterId')) : '';
    return c && clusterTitles.has(c) ? c : null;
  };
  const support = boardSupport({
    votes: doc.getMap<number>('votes').entries(),
    sectorOf: (id) => participants[id]?.sector,
    clusterOf: clusterOfIdea,
    ideaIds: [...ideaMap.keys()].filter((id) => ideaMap.get(id) instanceof Y.Map),
    clusterIds: clusterTitles.keys()
  });
  const supportFields = (s: TargetSupport | undefined) => ({
    consensus: s?.consensus ?? 0,
    supportBySector: s?.supportBySector ?? {},
    divisive: s?.divisive ?? false
  });

  const ideas: IdeaReport[] = [];
  for (const [id, m] of ideaMap) {
    if (!(m instanceof Y.Map)) continue;
    const clusterId = str(m.get('clusterId')) || null;
    const authorId = str(m.get('authorId'));
    const v = votes.get(id);
    ideas.push({
      id,
      text: str(m.get('text')),
      questionId: str(m.get('questionId')),
      clusterId: clusterId && clusterTitles.has(clusterId) ? clusterId : null,
      clusterTitle: clusterId ? (clusterTitles.get(clusterId)?.title ?? null) : null,
      authorName: str(m.get('authorName')),
      sector: str(m.get('sector'), 'otro'),
      comuna: participants[authorId]?.comuna ?? '',
      votes: v?.total ?? 0,
      votesBySector: v?.bySector ?? {},
      ...supportFields(support.ideas.get(id)),
      createdAt: time(m.get('createdAt'))
    });
  }
  const order = new Map(challenge.questions.map((q, i) => [q.id, i]));
  ideas.sort((a, b) => (order.get(a.questionId) ?? 99) - (order.get(b.questionId) ?? 99) || a.createdAt - b.createdAt);

  const questions = challenge.questions.map((q) => {
    const mine = ideas.filter((i) => i.questionId === q.id);
    const clusters: ClusterReport[] = [...clusterTitles]
      .filter(([, c]) => c.questionId === q.id)
      .map(([id, c]) => {
        const members = mine.filter((i) => i.clusterId === id).sort(byVotes);
        const v = votes.get(id);
        const own = v?.total ?? 0;
        return {
          id,
          title: c.title,
          votes: own,
          votesBySector: v?.bySector ?? {},
          support: own + members.reduce((n, i) => n + i.votes, 0),
          ...supportFields(support.clusters.get(id)),
          ideas: members
        };
      })
      .sort((a, b) => b.support - a.support || a.title.localeCompare(b.title, 'es'));
    return { id: q.id, text: q.text, clusters, ungrouped: mine.filter((i) => i.clusterId === null).sort(byVotes) };
  });

  const ranked: RankedCluster[] = questions.flatMap((q) =>
    q.clusters.map((c) => ({ id: c.id, title: c.title, questionId: q.id, support: c.support, consensus: c.consensus, divisive: c.divisive }))
  );
  const ranking = {
    byDots: [...ranked].sort((a, b) => b.support - a.support || b.consensus - a.consensus || a.title.localeCompare(b.title, 'es')),
    byConsensus: [...ranked].sort((a, b) => b.consensus - a.consensus || b.support - a.support || a.title.localeCompare(b.title, 'es'))
  };

  const people = Object.values(participants);
  const bySector = SECTORS.map((s) => ({ sector: s.id, label: s.label[lang], count: people.filter((p) => p.sector === s.id).length })).filter(
    (s) => s.count > 0
  );
  const byComuna = COMUNAS.map((comuna) => ({ comuna: comuna as string, count: people.filter((p) => p.comuna === comuna).length })).filter(
    (c) => c.count > 0
  );

  const proposalMap = doc.getMap<Y.Text>('proposal');
  const proposal = PROPOSAL_SECTIONS.map((s) => {
    const text = proposalMap.get(s.key);
    return { key: s.key, label: s.label[lang], paragraphs: textToParagraphs(text instanceof Y.Text ? text : undefined) };
  });

  return {
    version: 1,
    generatedAt: input.now.toISOString(),
    lang,
    workshop: input.workshop,
    teamName: input.teamName,
    board: { id: input.boardId },
    challenge: {
      id: challenge.id,
      number: challenge.number,
      title: challenge.title,
      sourceTitle: challenge.sourceTitle,
      context: challenge.context === '' ? [] : challenge.context.split('\n\n'),
      references: challenge.references
    },
    questions,
    ranking,
    participation: { total: people.length, bySector, byComuna },
    rounds: (input.rounds ?? []).map((round) => ({ ...round, results: round.results.map((t) => ({ ...t })) })),
    proposal,
    ideas
  };
}
