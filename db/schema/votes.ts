import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { boards } from './workshops.ts';

/** Where a round began: the open board (no session) or a session's voting phase. */
export type RoundOrigin = 'abierto' | 'votacion';

/** One target's result in a closed round, with its words as they were then. */
export interface RoundResult {
  targetId: string;
  kind: 'idea' | 'cluster';
  /** The idea's text or the group's title when the round closed ('' if the target was gone). */
  label: string;
  dots: number;
  voters: number;
}

/**
 * Closed voting rounds of a board (server/src/sessions/vote-rounds.ts): the `votes` map holds the
 * current round only; opening a round moves its dots here, as per-target results.
 */
export const voteRounds = sqliteTable(
  'vote_rounds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    number: integer('number').notNull(),
    origin: text('origin').$type<RoundOrigin>().notNull(),
    blind: integer('blind', { mode: 'boolean' }).notNull(),
    budget: integer('budget').notNull(),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at').notNull(),
    voters: integer('voters').notNull(),
    /** JSON of `RoundResult[]`, most dots first. */
    results: text('results', { mode: 'json' }).$type<RoundResult[]>().notNull()
  },
  (t) => [index('vote_rounds_board').on(t.boardId, t.number)]
);

/**
 * Dots of a blind round before the reveal: kept here, out of the board doc every participant
 * receives. Revealing writes them into the doc's `votes` map and deletes them.
 */
export const voteBallots = sqliteTable(
  'vote_ballots',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id),
    targetId: text('target_id').notNull(),
    participantId: text('participant_id').notNull(),
    dots: integer('dots').notNull()
  },
  (t) => [primaryKey({ columns: [t.boardId, t.targetId, t.participantId] })]
);
