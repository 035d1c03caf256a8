import { relations } from 'drizzle-orm';
import { bigint, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { JOIN_POLICIES, JOIN_REQUEST_STATUSES } from '../schema/workshops.ts';
import { challenges } from './challenges.ts';

/** PostgreSQL twin of db/schema/workshops.ts (documented there; the value lists come from there). */
export const workshops = pgTable('workshops', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  title: text('title').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  joinPolicy: text('join_policy', { enum: JOIN_POLICIES }).notNull().default('open'),
  facilitatorTokenGen: bigint('facilitator_token_gen', { mode: 'number' }).notNull().default(0),
  resultsPublishedAt: bigint('results_published_at', { mode: 'number' })
});

export const boards = pgTable(
  'boards',
  {
    id: text('id').primaryKey(),
    workshopId: text('workshop_id')
      .notNull()
      .references(() => workshops.id),
    challengeId: text('challenge_id')
      .notNull()
      .references(() => challenges.id),
    position: bigint('position', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    teamName: text('team_name')
  },
  (t) => [uniqueIndex('boards_workshop_challenge').on(t.workshopId, t.challengeId)]
);

export const participants = pgTable(
  'participants',
  {
    id: text('id').primaryKey(),
    workshopId: text('workshop_id')
      .notNull()
      .references(() => workshops.id),
    name: text('name').notNull(),
    sector: text('sector').notNull(),
    comuna: text('comuna').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    removedAt: bigint('removed_at', { mode: 'number' }),
    deviceId: text('device_id')
  },
  (t) => [index('participants_workshop').on(t.workshopId), index('participants_device').on(t.workshopId, t.deviceId)]
);

export const joinRequests = pgTable(
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
    secretHash: text('secret_hash').notNull(),
    status: text('status', { enum: JOIN_REQUEST_STATUSES }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    decidedAt: bigint('decided_at', { mode: 'number' }),
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
