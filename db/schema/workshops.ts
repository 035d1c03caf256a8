import { relations } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { challenges } from './challenges.ts';

export const workshops = sqliteTable('workshops', {
  id: text('id').primaryKey(),
  /** Six characters, read aloud in the room: no 0/O/1/I. */
  code: text('code').notNull().unique(),
  title: text('title').notNull(),
  createdAt: integer('created_at').notNull(),
  /**
   * Generation of the facilitator token: only a token signed with this one is accepted, so
   * rotating (incrementing) it revokes every earlier facilitator token at once.
   */
  facilitatorTokenGen: integer('facilitator_token_gen').notNull().default(0)
});

/** One board per chosen challenge of a workshop. */
export const boards = sqliteTable(
  'boards',
  {
    id: text('id').primaryKey(),
    workshopId: text('workshop_id')
      .notNull()
      .references(() => workshops.id),
    challengeId: text('challenge_id')
      .notNull()
      .references(() => challenges.id),
    position: integer('position').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Entered by the facilitator; shown on the proposal draft's title page. */
    teamName: text('team_name')
  },
  (t) => [uniqueIndex('boards_workshop_challenge').on(t.workshopId, t.challengeId)]
);

export const participants = sqliteTable(
  'participants',
  {
    id: text('id').primaryKey(),
    workshopId: text('workshop_id')
      .notNull()
      .references(() => workshops.id),
    name: text('name').notNull(),
    sector: text('sector').notNull(),
    comuna: text('comuna').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Set when a facilitator removes the participant: their token stops working. */
    removedAt: integer('removed_at')
  },
  (t) => [index('participants_workshop').on(t.workshopId)]
);

export const workshopsRelations = relations(workshops, ({ many }) => ({
  boards: many(boards),
  participants: many(participants)
}));
export const boardsRelations = relations(boards, ({ one }) => ({
  workshop: one(workshops, { fields: [boards.workshopId], references: [workshops.id] }),
  challenge: one(challenges, { fields: [boards.challengeId], references: [challenges.id] })
}));
export const participantsRelations = relations(participants, ({ one }) => ({
  workshop: one(workshops, { fields: [participants.workshopId], references: [workshops.id] })
}));

export type Workshop = typeof workshops.$inferSelect;
export type Board = typeof boards.$inferSelect;
export type Participant = typeof participants.$inferSelect;
