import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { PgDb } from '../../../../db/pg.ts';
import { challenges, questions } from '../../../../db/schema-pg/challenges.ts';
import type { Challenge } from '../../schemas/challenges.ts';
import { toChallenge, type ChallengesRepository } from '../challenges.ts';

/**
 * PostgreSQL. The seeded challenges never change after seeding: read once per process (one read
 * shared by the callers that ask meanwhile; a failed read is tried again at the next call).
 */
export function createPgChallengesRepository(db: PgDb): ChallengesRepository {
  let cache: Promise<Challenge[]> | null = null;

  async function readSeeded(): Promise<Challenge[]> {
    const rows = await db.select().from(challenges).where(isNull(challenges.workshopId)).orderBy(asc(challenges.number));
    if (rows.length === 0) return [];
    const qs = await db
      .select()
      .from(questions)
      .where(inArray(questions.challengeId, rows.map((c) => c.id)))
      .orderBy(asc(questions.challengeId), asc(questions.position));
    return rows.map((c) => toChallenge(c, qs.filter((q) => q.challengeId === c.id)));
  }

  function list(): Promise<Challenge[]> {
    cache ??= readSeeded().catch((err: unknown) => {
      cache = null;
      throw err;
    });
    return cache;
  }

  const seeded = async (id: string): Promise<Challenge | null> => (await list()).find((c) => c.id === id) ?? null;

  async function own(id: string): Promise<Challenge | null> {
    const [row] = await db
      .select()
      .from(challenges)
      .where(and(eq(challenges.id, id), isNotNull(challenges.workshopId)));
    if (!row) return null;
    return toChallenge(row, await db.select().from(questions).where(eq(questions.challengeId, id)).orderBy(asc(questions.position)));
  }

  return {
    list,
    seeded,
    get: async (id) => (await seeded(id)) ?? own(id)
  };
}
