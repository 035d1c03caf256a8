import { asc } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { challenges, questions } from '../../../db/schema/challenges.ts';
import type { Challenge } from '../schemas/challenges.ts';

/** Challenges never change after seeding, so they are read once and kept. */
export function createChallengesRepository(db: Db) {
  let cache: Challenge[] | null = null;

  function list(): Challenge[] {
    if (cache) return cache;
    const rows = db.select().from(challenges).orderBy(asc(challenges.number)).all();
    const qs = db.select().from(questions).orderBy(asc(questions.challengeId), asc(questions.position)).all();
    cache = rows.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      sourceTitle: c.sourceTitle,
      context: c.context,
      references: c.references,
      questions: qs.filter((q) => q.challengeId === c.id).map((q) => ({ id: q.id, text: q.text }))
    }));
    return cache;
  }

  return {
    list,
    get: (id: string): Challenge | null => list().find((c) => c.id === id) ?? null
  };
}

export type ChallengesRepository = ReturnType<typeof createChallengesRepository>;
