import { relations, sql } from 'drizzle-orm';
import { bigint, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { workshops } from './workshops.ts';

/** PostgreSQL twin of db/schema/challenges.ts (documented there). */
export const challenges = pgTable(
  'challenges',
  {
    id: text('id').primaryKey(),
    workshopId: text('workshop_id').references(() => workshops.id),
    number: bigint('number', { mode: 'number' }).notNull(),
    sourceTitle: text('source_title').notNull(),
    title: text('title').notNull(),
    context: text('context').notNull(),
    references: jsonb('references').$type<string[]>().notNull()
  },
  (t) => [
    uniqueIndex('challenges_seed_number').on(t.number).where(sql`${t.workshopId} is null`),
    uniqueIndex('challenges_workshop_number').on(t.workshopId, t.number)
  ]
);

export const questions = pgTable(
  'questions',
  {
    id: text('id').primaryKey(),
    challengeId: text('challenge_id')
      .notNull()
      .references(() => challenges.id),
    position: bigint('position', { mode: 'number' }).notNull(),
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
