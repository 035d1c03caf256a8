import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { challenges, questions } from '../../../db/schema/challenges.ts';
import { normaliseContext, normaliseLine, type ChallengeDraft } from '../../../contract/challenges.ts';
import { newId } from '../auth/ids.ts';
import type { Challenge } from '../schemas/challenges.ts';

type ChallengeRow = typeof challenges.$inferSelect;
type QuestionRow = typeof questions.$inferSelect;
/** The database or a transaction on it: both read and write alike. */
type Writer = Pick<Db, 'insert'>;

const toChallenge = (c: ChallengeRow, qs: QuestionRow[]): Challenge => ({
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

/**
 * Writes a workshop's own challenges with their questions, numbered with `numbers` (in the
 * caller's transaction). Question ids are `<challengeId>-p<n>`, n from 1, as the seed's.
 */
export function insertOwnChallenges(tx: Writer, workshopId: string, drafts: readonly ChallengeDraft[], numbers: readonly number[]): string[] {
  return drafts.map((draft, i) => {
    const id = newId();
    const title = normaliseLine(draft.title);
    tx.insert(challenges)
      .values({ id, workshopId, number: numbers[i]!, sourceTitle: title, title, context: normaliseContext(draft.context ?? ''), references: [] })
      .run();
    tx.insert(questions)
      .values(draft.questions.map((text, p) => ({ id: `${id}-p${p + 1}`, challengeId: id, position: p + 1, text: normaliseLine(text) })))
      .run();
    return id;
  });
}

/**
 * The seeded challenges (shared by every workshop, never changed after seeding, so read once and
 * kept) and the ones a workshop wrote for itself (never changed either, read when asked for).
 */
export function createChallengesRepository(db: Db) {
  let cache: Challenge[] | null = null;

  function list(): Challenge[] {
    if (cache) return cache;
    const rows = db.select().from(challenges).where(isNull(challenges.workshopId)).orderBy(asc(challenges.number)).all();
    const qs = db
      .select()
      .from(questions)
      .where(inArray(questions.challengeId, rows.map((c) => c.id)))
      .orderBy(asc(questions.challengeId), asc(questions.position))
      .all();
    cache = rows.map((c) => toChallenge(c, qs.filter((q) => q.challengeId === c.id)));
    return cache;
  }

  /** One of the programme's challenges, or null (a workshop's own is not). */
  const seeded = (id: string): Challenge | null => list().find((c) => c.id === id) ?? null;

  function own(id: string): Challenge | null {
    const row = db
      .select()
      .from(challenges)
      .where(and(eq(challenges.id, id), isNotNull(challenges.workshopId)))
      .get();
    if (!row) return null;
    return toChallenge(row, db.select().from(questions).where(eq(questions.challengeId, id)).orderBy(asc(questions.position)).all());
  }

  return {
    /** The seeded challenges, by number. */
    list,
    seeded,
    /** Any challenge a board can have: seeded, or a workshop's own. */
    get: (id: string): Challenge | null => seeded(id) ?? own(id)
  };
}

export type ChallengesRepository = ReturnType<typeof createChallengesRepository>;
