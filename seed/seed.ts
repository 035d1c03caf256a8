import type { Db } from '../db/client.ts';
import { challenges, questions } from '../db/schema/challenges.ts';
import { CHALLENGES, type SeedChallenge } from './challenges.ts';

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

    inserted += tx
      .insert(challenges)
      .values(
        data.map((c) => ({
          id: c.id,
          number: c.number,
          sourceTitle: c.sourceTitle,
          title: c.title,
          context: c.context.join('\n\n'),
          references: [...c.references]
        }))
      )
      .onConflictDoNothing()
      .run().changes;

    const questionRows = data.flatMap((c) =>
      c.questions.map((q, i) => ({ id: q.id, challengeId: c.id, position: i + 1, text: q.text }))
    );
    if (questionRows.length > 0) {
      inserted += tx.insert(questions).values(questionRows).onConflictDoNothing().run().changes;
    }
    return { inserted };
  });
}
