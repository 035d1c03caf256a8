import { relations } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { challenges } from './challenges.ts';

/** Who may join: anyone with the code, only people a facilitator approves (a waiting list), nobody. */
export const JOIN_POLICIES = ['open', 'approval', 'closed'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

export const workshops = sqliteTable('workshops', {
  id: text('id').primaryKey(),
  /** Six characters, read aloud in the room: no 0/O/1/I. */
  code: text('code').notNull().unique(),
  title: text('title').notNull(),
  createdAt: integer('created_at').notNull(),
  joinPolicy: text('join_policy', { enum: JOIN_POLICIES }).notNull().default('open'),
  /**
   * Generation of the facilitator token: only a token signed with this one is accepted, so
   * rotating (incrementing) it revokes every earlier facilitator token at once.
   */
  facilitatorTokenGen: integer('facilitator_token_gen').notNull().default(0),
  /** When a facilitator published the workshop's results to its participants (null: not published). */
  resultsPublishedAt: integer('results_published_at')
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
    removedAt: integer('removed_at'),
    /** The browser's device cookie at join: removal bars that browser from joining again. */
    deviceId: text('device_id')
  },
  (t) => [index('participants_workshop').on(t.workshopId), index('participants_device').on(t.workshopId, t.deviceId)]
);

export const JOIN_REQUEST_STATUSES = ['pending', 'approved', 'refused'] as const;
export type JoinRequestStatus = (typeof JOIN_REQUEST_STATUSES)[number];

/** A person waiting to join a workshop that asks for approval; a refusal bars their browser. */
export const joinRequests = sqliteTable(
  'join_requests',
  {
    id: text('id').primaryKey(),
    workshopId: text('workshop_id')
      .notNull()
      .references(() => workshops.id),
    name: text('name').notNull(),
    sector: text('sector').notNull(),
    comuna: text('comuna').notNull(),
    deviceId: text('device_id').notNull(),
    /** SHA-256 of the secret the waiting browser holds to read its answer. */
    secretHash: text('secret_hash').notNull(),
    status: text('status', { enum: JOIN_REQUEST_STATUSES }).notNull(),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
    /** Set on approval. */
    participantId: text('participant_id').references(() => participants.id)
  },
  (t) => [index('join_requests_workshop').on(t.workshopId, t.status), index('join_requests_device').on(t.workshopId, t.deviceId)]
);

export const workshopsRelations = relations(workshops, ({ many }) => ({
  boards: many(boards),
  participants: many(participants),
  joinRequests: many(joinRequests)
}));
export const boardsRelations = relations(boards, ({ one }) => ({
  workshop: one(workshops, { fields: [boards.workshopId], references: [workshops.id] }),
  challenge: one(challenges, { fields: [boards.challengeId], references: [challenges.id] })
}));
export const participantsRelations = relations(participants, ({ one }) => ({
  workshop: one(workshops, { fields: [participants.workshopId], references: [workshops.id] })
}));
export const joinRequestsRelations = relations(joinRequests, ({ one }) => ({
  workshop: one(workshops, { fields: [joinRequests.workshopId], references: [workshops.id] }),
  participant: one(participants, { fields: [joinRequests.participantId], references: [participants.id] })
}));

export type Workshop = typeof workshops.$inferSelect;
export type Board = typeof boards.$inferSelect;
export type Participant = typeof participants.$inferSelect;
export type JoinRequest = typeof joinRequests.$inferSelect;
