import { normaliseContext, normaliseLine, type ChallengeDraft } from '../../../contract/challenges.ts';
import { newId } from '../auth/ids.ts';
import type { Challenge } from '../schemas/challenges.ts';

/**
 * The seeded challenges (shared by every workshop, never changed after seeding) and the ones a
 * workshop wrote for itself (never changed either). One interface, one implementation per engine
 * (sqlite/challenges.ts, pg/challenges.ts).
 */
export interface ChallengesRepository {
  /** The seeded challenges, by number. */
  list(): Promise<Challenge[]>;
  /** One of the programme's challenges, or null (a workshop's own is not). */
  seeded(id: string): Promise<Challenge | null>;
  /** Any challenge a board can have: seeded, or a workshop's own. */
  get(id: string): Promise<Challenge | null>;
}

/** The columns both engines' `challenges` and `questions` rows share. */
export interface ChallengeRowFields {
  id: string;
  number: number;
  title: string;
  sourceTitle: string;
  context: string;
  references: string[];
}
export interface QuestionRowFields {
  id: string;
  challengeId: string;
  position: number;
  text: string;
}

export const toChallenge = (c: ChallengeRowFields, qs: readonly QuestionRowFields[]): Challenge => ({
  id: c.id,
  number: c.number,
  title: c.title,
  sourceTitle: c.sourceTitle,
  context: c.context,
  references: c.references,
  questions: qs.map((q) => ({ id: q.id, text: q.text }))
});

/**
 * Numbers for a workshop's own challenges, in order: each keeps the number it asks for when no
 * other challenge of the workshop has it, and the rest take the smallest numbers left free.
 */
export function numberChallenges(taken: Iterable<number>, wanted: readonly (number | undefined)[]): number[] {
  const used = new Set(taken);
  const kept = wanted.map((n) => (n !== undefined && !used.has(n) ? (used.add(n), n) : undefined));
  let next = 1;
  return kept.map((n) => {
    if (n !== undefined) return n;
    while (used.has(next)) next++;
    used.add(next);
    return next;
  });
}

/** The rows of a workshop's own challenges, numbered with `numbers`, for either engine to insert. */
export interface OwnChallengeRows {
  challenges: (ChallengeRowFields & { workshopId: string })[];
  questions: QuestionRowFields[];
}

/** Question ids are `<challengeId>-p<n>`, n from 1, as the seed's. */
export function ownChallengeRows(workshopId: string, drafts: readonly ChallengeDraft[], numbers: readonly number[]): OwnChallengeRows {
  const rows: OwnChallengeRows = { challenges: [], questions: [] };
  drafts.forEach((draft, i) => {
    const id = newId();
    const title = normaliseLine(draft.title);
    rows.challenges.push({ id, workshopId, number: numbers[i]!, sourceTitle: title, title, context: normaliseContext(draft.context ?? ''), references: [] });
    rows.questions.push(...draft.questions.map((text, p) => ({ id: `${id}-p${p + 1}`, challengeId: id, position: p + 1, text: normaliseLine(text) })));
  });
  return rows;
}
