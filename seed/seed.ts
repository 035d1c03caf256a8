import type { Db } from '../db/client.ts';
import type { PgDb } from '../db/pg.ts';
import * as pgTables from '../db/schema-pg/challenges.ts';
import { challenges, questions } from '../db/schema/challenges.ts';
import { CHALLENGES, type SeedChallenge } from './challenges.ts';

/** The rows the seed writes, for either engine. */
function seedRows(data: readonly SeedChallenge[]) {
  return {
    challenges: data.map((c) => ({
      id: c.id,
      number: c.number,
      sourceTitle: c.sourceTitle,
      title: c.title,
      context: c.context.join('\n\n'),
      references: [...c.references]
    })),
    questions: data.flatMap((c) => c.questions.map((q, i) => ({ id: q.id, challengeId: c.id, position: i + 1, text: q.text })))
  };
}

/**
 * Loads the programme's challenges and their questions. Idempotent: rows that already exist
 * (same id, number or challenge/position) are left exactly as they are, never duplicated or
 * overwritten. Everything happens in one transaction.
 *
 * @returns the number of rows inserted, challenges and questions together (0 when already seeded).
 */
export function seedDatabase(db: Db, data: readonly SeedChallenge[] = CHALLENGES): { inserted: number } {
  return db.transaction((tx) => {
    let inserted = 0;
    if (data.length === 0) return { inserted };

    const rows = seedRows(data);
    inserted += tx.insert(challenges).values(rows.challenges).onConflictDoNothing().run().changes;
    if (rows.questions.length > 0) inserted += tx.insert(questions).values(rows.questions).onConflictDoNothing().run().changes;
    return { inserted };
  });
}

/**
 * The same on PostgreSQL, safe when several processes start at once: each row is inserted with
 * `on conflict do nothing`, so a second process's insert waits for the first's transaction and then
 * skips the rows it wrote (both insert in the same order, so neither waits for the other in a cycle).
 *
 * @returns the number of rows this call inserted (0 when another process, or an earlier start, seeded).
 */
export async function seedPg(db: PgDb, data: readonly SeedChallenge[] = CHALLENGES): Promise<{ inserted: number }> {
  if (data.length === 0) return { inserted: 0 };
  const rows = seedRows(data);
  return db.transaction(async (tx) => {
    const c = await tx.insert(pgTables.challenges).values(rows.challenges).onConflictDoNothing().returning({ id: pgTables.challenges.id });
    const q = rows.questions.length > 0 ? await tx.insert(pgTables.questions).values(rows.questions).onConflictDoNothing().returning({ id: pgTables.questions.id }) : [];
    return { inserted: c.length + q.length };
  });
}
