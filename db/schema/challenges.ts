import { relations } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The programme's challenges, loaded from seed/ into an empty database. */
export const challenges = sqliteTable('challenges', {
  id: text('id').primaryKey(),
  number: integer('number').notNull().unique(),
  /** Title as written in the source (upper case). */
  sourceTitle: text('source_title').notNull(),
  /** The same title in sentence case, for reading. */
  title: text('title').notNull(),
  /** Context paragraphs, separated by a blank line. */
  context: text('context').notNull(),
  /** Planning documents the context cites (Estrategia Regional de Desarrollo 2020, …), JSON array. */
  references: text('references', { mode: 'json' }).$type<string[]>().notNull()
});

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

export const challengesRelations = relations(challenges, ({ many }) => ({ questions: many(questions) }));
export const questionsRelations = relations(questions, ({ one }) => ({
  challenge: one(challenges, { fields: [questions.challengeId], references: [challenges.id] })
}));

export type Challenge = typeof challenges.$inferSelect;
export type Question = typeof questions.$inferSelect;
