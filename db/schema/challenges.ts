import { relations, sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { workshops } from './workshops.ts';

/**
 * The programme's challenges, loaded from seed/ into an empty database (shared, never changed),
 * and the challenges a workshop wrote for itself (its own, never changed either).
 */
export const challenges = sqliteTable(
  'challenges',
  {
    id: text('id').primaryKey(),
    /** The workshop that wrote it; null for a seeded challenge. */
    workshopId: text('workshop_id').references(() => workshops.id),
    /** Seeded: 1..8 of the programme. A workshop's own: a number no other challenge of that workshop has. */
    number: integer('number').notNull(),
    /** Title as written in the source (upper case); a workshop's own: as written, same as `title`. */
    sourceTitle: text('source_title').notNull(),
    /** The same title in sentence case, for reading. */
    title: text('title').notNull(),
    /** Context paragraphs, separated by a blank line. */
    context: text('context').notNull(),
    /** Planning documents the context cites (Estrategia Regional de Desarrollo 2020, …), JSON array. */
    references: text('references', { mode: 'json' }).$type<string[]>().notNull()
  },
  (t) => [
    uniqueIndex('challenges_seed_number').on(t.number).where(sql`${t.workshopId} is null`),
    uniqueIndex('challenges_workshop_number').on(t.workshopId, t.number)
  ]
);

export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    challengeId: text('challenge_id')
      .notNull()
      .references(() => challenges.id),
    position: integer('position').notNull(),
    text: text('text').notNull()
  },
  (t) => [uniqueIndex('questions_challenge_position').on(t.challengeId, t.position)]
);

export const challengesRelations = relations(challenges, ({ many, one }) => ({
  questions: many(questions),
  workshop: one(workshops, { fields: [challenges.workshopId], references: [workshops.id] })
}));
export const questionsRelations = relations(questions, ({ one }) => ({
  challenge: one(challenges, { fields: [questions.challengeId], references: [challenges.id] })
}));

export type Challenge = typeof challenges.$inferSelect;
export type Question = typeof questions.$inferSelect;
