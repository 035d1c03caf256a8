import { bigint, boolean, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { RoundOrigin, RoundResult } from '../schema/votes.ts';
import { boards } from './workshops.ts';

/** PostgreSQL twin of db/schema/votes.ts (documented there). */
export const voteRounds = pgTable(
  'vote_rounds',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    number: bigint('number', { mode: 'number' }).notNull(),
    origin: text('origin').$type<RoundOrigin>().notNull(),
    blind: boolean('blind').notNull(),
    budget: bigint('budget', { mode: 'number' }).notNull(),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    endedAt: bigint('ended_at', { mode: 'number' }).notNull(),
    voters: bigint('voters', { mode: 'number' }).notNull(),
    results: jsonb('results').$type<RoundResult[]>().notNull()
  },
  (t) => [index('vote_rounds_board').on(t.boardId, t.number)]
);

export const voteBallots = pgTable(
  'vote_ballots',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    targetId: text('target_id').notNull(),
    participantId: text('participant_id').notNull(),
    dots: bigint('dots', { mode: 'number' }).notNull()
  },
  (t) => [primaryKey({ columns: [t.boardId, t.targetId, t.participantId] })]
);
