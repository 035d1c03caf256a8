import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import type { PgDb } from '../../../db/pg.ts';
import { voteBallots, voteRounds } from '../../../db/schema/votes.ts';
import { voteBallots as pgBallots, voteRounds as pgRounds } from '../../../db/schema-pg/votes.ts';
import { boardSessions } from '../../../db/schema/sessions.ts';
import { boardSessions as pgSessions } from '../../../db/schema-pg/sessions.ts';
import type { PastRound } from '../realtime/events.ts';
import { pgUnitOf, type PgTx } from '../sync/storage/pg-unit.ts';
import { ballotsHidden, type SessionRecord } from './session-state.ts';

/** One participant's dots on one target in a board's blind round (before the reveal). */
export interface Ballot {
  targetId: string;
  participantId: string;
  dots: number;
}

/**
 * Closed voting rounds (`vote_rounds`) and a blind round's ballots (`vote_ballots`), on SQLite or
 * PostgreSQL beside the boards they refer to. Reads are asynchronous. Writes called inside
 * `BoardStorage.atomically` join its unit: on SQLite they run at once inside its transaction (and
 * a failure throws there, so the transaction rolls back); on PostgreSQL they are enlisted in the
 * unit of work (pg-unit.ts) and commit in its one transaction.
 */
export interface VoteStore {
  ballots(boardId: string): Promise<Ballot[]>;
  ballotsOf(boardId: string, participantId: string): Promise<Ballot[]>;
  /** Dots cast so far in the board's blind round (the facilitator's progress figure). */
  dotsCast(boardId: string): Promise<number>;
  /** Sets one ballot (0 or less deletes it). */
  setBallot(boardId: string, targetId: string, participantId: string, dots: number): Promise<void>;
  /**
   * A cast in blind round `round`: reads the participant's ballots on the board and stores the one
   * `decide` makes of them, as one step (on PostgreSQL one transaction that holds a lock on that
   * participant's ballots, so the same person casting through two processes at once cannot spend
   * the last dot twice). Only while the board's stored session is in that blind, unrevealed round
   * (null otherwise, nothing written): a round change stored by another process wins over a cast
   * its session has not heard of yet. On PostgreSQL the check holds a share lock on the session row
   * until the ballot commits.
   */
  castBallot<T>(boardId: string, participantId: string, round: number, decide: (mine: Ballot[]) => CastDecision<T>): Promise<{ result: T } | null>;
  /**
   * Deletes the board's ballots. With `expected` (the ballots the caller read and is about to
   * count), the stored ballots must be exactly those, else it fails with BallotsChangedError (a
   * ballot came in meanwhile, perhaps through another process) and the unit stores nothing.
   */
  clearBallots(boardId: string, expected?: readonly Ballot[]): Promise<void>;
  addRound(boardId: string, round: PastRound): Promise<void>;
  rounds(boardId: string): Promise<PastRound[]>;
}

/** What a cast makes of the participant's ballots: its answer, and the ballot to set if any. */
export interface CastDecision<T> {
  result: T;
  set?: { targetId: string; dots: number };
}

/** The board's ballots changed between their read and the round change that counts them. */
export class BallotsChangedError extends Error {
  override readonly name = 'BallotsChangedError';

  constructor(readonly boardId: string) {
    super(`the ballots of ${boardId} changed while its round was being stored`);
  }
}

const ballotKey = (b: Ballot) => `${b.targetId}|${b.participantId}|${b.dots}`;
const sameBallots = (a: readonly Ballot[], b: readonly Ballot[]) => {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(ballotKey));
  return b.every((x) => keys.has(ballotKey(x)));
};

/** Whether a stored session state is in blind round `number`, its ballots still hidden. */
const inBlindRound = (state: unknown, number: number) => {
  const round = (state as Partial<SessionRecord> | undefined)?.round;
  return round !== undefined && round.number === number && ballotsHidden(round);
};

const withDots = <R extends { results: { dots: number }[] }>(r: R) => ({ ...r, dots: r.results.reduce((n, t) => n + t.dots, 0) });

export function createVoteStore(db: Db): VoteStore {
  const ballotsNow = (boardId: string): Ballot[] =>
    db
      .select({ targetId: voteBallots.targetId, participantId: voteBallots.participantId, dots: voteBallots.dots })
      .from(voteBallots)
      .where(eq(voteBallots.boardId, boardId))
      .all();
  const ballotsOf = (boardId: string, participantId: string): Ballot[] =>
    db
      .select({ targetId: voteBallots.targetId, participantId: voteBallots.participantId, dots: voteBallots.dots })
      .from(voteBallots)
      .where(and(eq(voteBallots.boardId, boardId), eq(voteBallots.participantId, participantId)))
      .all();
  const write = (boardId: string, targetId: string, participantId: string, dots: number) => {
    const key = and(eq(voteBallots.boardId, boardId), eq(voteBallots.targetId, targetId), eq(voteBallots.participantId, participantId));
    if (dots <= 0) db.delete(voteBallots).where(key).run();
    else
      db.insert(voteBallots)
        .values({ boardId, targetId, participantId, dots })
        .onConflictDoUpdate({ target: [voteBallots.boardId, voteBallots.targetId, voteBallots.participantId], set: { dots } })
        .run();
  };
  // The writes are not async: inside `atomically` they run in the open SQLite transaction and a
  // failure throws while it is open, so that it rolls back.
  return {
    async ballots(boardId) {
      return ballotsNow(boardId);
    },
    async ballotsOf(boardId, participantId) {
      return ballotsOf(boardId, participantId);
    },
    async dotsCast(boardId) {
      const row = db
        .select({ n: sql<number>`coalesce(sum(${voteBallots.dots}), 0)` })
        .from(voteBallots)
        .where(eq(voteBallots.boardId, boardId))
        .get();
      return row?.n ?? 0;
    },
    setBallot(boardId, targetId, participantId, dots) {
      write(boardId, targetId, participantId, dots);
      return Promise.resolve();
    },
    castBallot(boardId, participantId, round, decide) {
      // One synchronous step: nothing else of this process runs between the read and the write.
      const row = db.select({ state: boardSessions.state }).from(boardSessions).where(eq(boardSessions.boardId, boardId)).get();
      if (!inBlindRound(row?.state, round)) return Promise.resolve(null);
      const { result, set } = decide(ballotsOf(boardId, participantId));
      if (set) write(boardId, set.targetId, participantId, set.dots);
      return Promise.resolve({ result });
    },
    clearBallots(boardId, expected) {
      if (expected && !sameBallots(ballotsNow(boardId), expected)) throw new BallotsChangedError(boardId);
      db.delete(voteBallots).where(eq(voteBallots.boardId, boardId)).run();
      return Promise.resolve();
    },
    addRound(boardId, round) {
      const { dots: _sum, ...row } = round;
      db.insert(voteRounds)
        .values({ boardId, ...row })
        .run();
      return Promise.resolve();
    },
    async rounds(boardId) {
      return db
        .select()
        .from(voteRounds)
        .where(eq(voteRounds.boardId, boardId))
        .orderBy(asc(voteRounds.number), asc(voteRounds.id))
        .all()
        .map(({ id: _id, boardId: _board, ...r }) => withDots(r));
    }
  };
}

/** The same on PostgreSQL; writes go through the database's unit of work, on the board's vote lane. */
export function createPgVoteStore(db: PgDb): VoteStore {
  const unit = pgUnitOf(db);
  const lane = (boardId: string) => [`votes:${boardId}`];
  const b = pgBallots;
  const columns = { targetId: b.targetId, participantId: b.participantId, dots: b.dots };
  const write = async (tx: PgTx, boardId: string, targetId: string, participantId: string, dots: number) => {
    const key = and(eq(b.boardId, boardId), eq(b.targetId, targetId), eq(b.participantId, participantId));
    if (dots <= 0) await tx.delete(b).where(key);
    else
      await tx
        .insert(b)
        .values({ boardId, targetId, participantId, dots })
        .onConflictDoUpdate({ target: [b.boardId, b.targetId, b.participantId], set: { dots } });
  };
  return {
    async ballots(boardId) {
      return db.select(columns).from(b).where(eq(b.boardId, boardId));
    },
    async ballotsOf(boardId, participantId) {
      return db
        .select(columns)
        .from(b)
        .where(and(eq(b.boardId, boardId), eq(b.participantId, participantId)));
    },
    async dotsCast(boardId) {
      const [row] = await db
        .select({ n: sql<string>`coalesce(sum(${b.dots}), 0)` })
        .from(b)
        .where(eq(b.boardId, boardId));
      return Number(row?.n ?? 0);
    },
    setBallot(boardId, targetId, participantId, dots) {
      return unit.run(lane(boardId), (tx) => write(tx, boardId, targetId, participantId, dots));
    },
    castBallot(boardId, participantId, round, decide) {
      return unit.run(lane(boardId), async (tx) => {
        // Held until this commits: a round change updates the row first, so it either waits for
        // this ballot (and counts it, or refuses, see clearBallots) or this sees its new round.
        const [row] = await tx.select({ state: pgSessions.state }).from(pgSessions).where(eq(pgSessions.boardId, boardId)).for('share');
        if (!inBlindRound(row?.state, round)) return null;
        // One cast of this participant on this board at a time, whichever process it came
        // through: the next one waits for this commit, then reads its ballot.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ballots|${boardId}|${participantId}`}, 0))`);
        const mine = await tx
          .select(columns)
          .from(b)
          .where(and(eq(b.boardId, boardId), eq(b.participantId, participantId)));
        const { result, set } = decide(mine);
        if (set) await write(tx, boardId, set.targetId, participantId, set.dots);
        return { result };
      });
    },
    clearBallots(boardId, expected) {
      return unit.run(lane(boardId), async (tx) => {
        // What is deleted is what was counted, or the whole unit rolls back.
        const deleted = await tx.delete(b).where(eq(b.boardId, boardId)).returning(columns);
        if (expected && !sameBallots(deleted, expected)) throw new BallotsChangedError(boardId);
      });
    },
    addRound(boardId, round) {
      const { dots: _sum, ...row } = round;
      return unit.run(lane(boardId), async (tx) => {
        await tx.insert(pgRounds).values({ boardId, ...row });
      });
    },
    async rounds(boardId) {
      const rows = await db.select().from(pgRounds).where(eq(pgRounds.boardId, boardId)).orderBy(asc(pgRounds.number), asc(pgRounds.id));
      return rows.map(({ id: _id, boardId: _board, ...r }) => withDots(r));
    }
  };
}
