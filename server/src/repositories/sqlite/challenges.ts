import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { challenges, questions } from '../../../../db/schema/challenges.ts';
import type { Challenge } from '../../schemas/challenges.ts';
import { toChallenge, type ChallengesRepository } from '../challenges.ts';

/** SQLite: synchronous inside. The seeded challenges are read once and kept (they never change). */
export function createSqliteChallengesRepository(db: Db): ChallengesRepository {
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
    list: async () => list(),
    seeded: async (id) => seeded(id),
    get: async (id) => seeded(id) ?? own(id)
  };
}
