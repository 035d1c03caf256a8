import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { challenges as pgChallenges } from '../../db/schema-pg/challenges.ts';
import { boards as pgBoards, workshops as pgWorkshops } from '../../db/schema-pg/workshops.ts';
import { boards, workshops } from '../../db/schema/workshops.ts';
import { seedDatabase } from '../../seed/seed.ts';
import type { PastRound } from '../../server/src/realtime/events.ts';
import { openSession } from '../../server/src/sessions/session-state.ts';
import { createPgSessionStore, createSessionStore, type SessionStore } from '../../server/src/sessions/session-store.ts';
import { BallotsChangedError, createPgVoteStore, createVoteStore, type VoteStore } from '../../server/src/sessions/vote-store.ts';
import type { BoardStorage } from '../../server/src/sync/storage/board-storage.ts';
import { PgBoardStorage } from '../../server/src/sync/storage/pg-board-storage.ts';
import { SqliteBoardStorage } from '../../server/src/sync/storage/sqlite-board-storage.ts';
import { STORAGE_ENGINES, type EngineConnection, type EngineDb } from '../helpers/storage-engines.ts';

/** A vote store and the board storage whose `atomically` its writes join, with board 'b' stored. */
async function storesOn(c: EngineConnection, withBoard: boolean): Promise<{ votes: VoteStore; storage: BoardStorage; sessions: SessionStore }> {
  if (c.engine === 'sqlite') {
    if (withBoard) {
      seedDatabase(c.sqlite.db);
      c.sqlite.db.insert(workshops).values({ id: 'w', code: 'ABCDEF', title: 't', createdAt: 0 }).run();
      c.sqlite.db.insert(boards).values({ id: 'b', workshopId: 'w', challengeId: 'desafio-1', position: 0, createdAt: 0 }).run();
    }
    return { votes: createVoteStore(c.sqlite.db), storage: new SqliteBoardStorage(c.sqlite.sqlite), sessions: createSessionStore(c.sqlite.db) };
  }
  if (withBoard) {
    const db = c.pg.db;
    await db.insert(pgChallenges).values({ id: 'c1', number: 1, sourceTitle: 's', title: 't', context: 'c', references: [] });
    await db.insert(pgWorkshops).values({ id: 'w', code: 'ABCDEF', title: 't', createdAt: 0 });
    await db.insert(pgBoards).values({ id: 'b', workshopId: 'w', challengeId: 'c1', position: 0, createdAt: 0 });
  }
  return { votes: createPgVoteStore(c.pg.db), storage: new PgBoardStorage(c.pg.db), sessions: createPgSessionStore(c.pg.db) };
}

const round = (number: number, dots: number): PastRound => ({
  number,
  origin: 'votacion',
  blind: true,
  budget: 5,
  startedAt: 1,
  endedAt: 2,
  voters: 1,
  dots: 0,
  results: [{ targetId: 'i1', kind: 'idea', label: 'Idea 1', dots, voters: 1 }]
});

describe.each(STORAGE_ENGINES)('vote store on $name', (engine) => {
  let db: EngineDb | null = null;
  beforeAll(() => engine.start(), 60_000);
  afterAll(() => engine.stop());
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('keeps ballots per board and participant, counts the dots cast, and lists closed rounds in order', async () => {
    db = await engine.open();
    const { votes } = await storesOn(db.process(), true);
    await votes.setBallot('b', 'i1', 'p1', 2);
    await votes.setBallot('b', 'i2', 'p1', 1);
    await votes.setBallot('b', 'i1', 'p2', 1);
    await votes.setBallot('b', 'i1', 'p2', 3);
    await votes.setBallot('b', 'i2', 'p1', 0);
    expect(await votes.ballotsOf('b', 'p1')).toEqual([{ targetId: 'i1', participantId: 'p1', dots: 2 }]);
    expect((await votes.ballots('b')).map((x) => [x.targetId, x.participantId, x.dots]).sort()).toEqual([
      ['i1', 'p1', 2],
      ['i1', 'p2', 3]
    ]);
    expect(await votes.dotsCast('b')).toBe(5);
    await votes.addRound('b', round(3, 1));
    await votes.addRound('b', round(2, 4));
    expect(await votes.rounds('b')).toEqual([{ ...round(2, 4), dots: 4 }, { ...round(3, 1), dots: 1 }]);
    await votes.clearBallots('b');
    expect(await votes.ballots('b')).toEqual([]);
    expect(await votes.dotsCast('b')).toBe(0);
  });

  it('stores a round and clears its ballots in one unit of the board storage', async () => {
    db = await engine.open();
    const { votes, storage } = await storesOn(db.process(), true);
    await votes.setBallot('b', 'i1', 'p1', 2);
    const counted = await votes.ballots('b');
    const written: Promise<void>[] = [];
    await storage.atomically(() => {
      written.push(votes.addRound('b', round(2, 2)), votes.clearBallots('b', counted));
    });
    await Promise.all(written);
    expect(await votes.rounds('b')).toEqual([{ ...round(2, 2), dots: 2 }]);
    expect(await votes.ballots('b')).toEqual([]);
  });

  it('stores nothing when a ballot came in (through another process) between the read and the round change', async () => {
    db = await engine.open();
    const { votes, storage } = await storesOn(db.process(), true);
    const other = (await storesOn(db.process(), false)).votes;
    await votes.setBallot('b', 'i1', 'p1', 2);
    const counted = await votes.ballots('b');
    await other.setBallot('b', 'i1', 'p2', 1);
    const written: Promise<void>[] = [];
    const unit = storage.atomically(() => {
      written.push(votes.addRound('b', round(2, 2)), votes.clearBallots('b', counted));
    });
    for (const w of written) w.catch(() => {});
    await expect(unit).rejects.toBeInstanceOf(BallotsChangedError);
    // The round is not stored and no ballot is lost: the change can be made again on what is stored.
    expect(await votes.rounds('b')).toEqual([]);
    expect(await other.dotsCast('b')).toBe(3);
  });

  /** A cast of one dot on `targetId` within `budget`, as vote-rounds makes it: true if stored. */
  const castOne = (votes: VoteStore, participantId: string, targetId: string, round: number, budget = 5) =>
    votes.castBallot('b', participantId, round, (mine) => {
      const used = mine.reduce((n, x) => n + x.dots, 0);
      if (used >= budget) return { result: false };
      const current = mine.find((x) => x.targetId === targetId)?.dots ?? 0;
      return { result: true, set: { targetId, dots: current + 1 } };
    });
  const blind = { number: 2, origin: 'votacion' as const, blind: true, revealed: false, startedAt: 5 };

  it("takes a cast's ballot only while the stored session is in that blind round, its ballots hidden", async () => {
    db = await engine.open();
    const { votes, sessions } = await storesOn(db.process(), true);
    // No session row: no blind round.
    expect(await castOne(votes, 'p1', 'i1', 2)).toBeNull();
    await sessions.save('b', { ...openSession(5), round: blind }, 0);
    expect(await castOne(votes, 'p1', 'i1', 2)).toEqual({ result: true });
    // Another process opened round 3 (or revealed round 2): a cast for round 2 is too late.
    expect(await castOne(votes, 'p1', 'i1', 3)).toBeNull();
    await sessions.save('b', { ...openSession(5), round: { ...blind, revealed: true } }, 1);
    expect(await castOne(votes, 'p1', 'i1', 2)).toBeNull();
    expect(await votes.ballots('b')).toEqual([{ targetId: 'i1', participantId: 'p1', dots: 1 }]);
  });

  it('lets one participant casting through two processes at once spend each dot once', async () => {
    db = await engine.open();
    const { votes, sessions } = await storesOn(db.process(), true);
    const other = (await storesOn(db.process(), false)).votes;
    await sessions.save('b', { ...openSession(5), round: blind }, 0);
    const casts = Array.from({ length: 12 }, (_, i) => castOne(i % 2 ? other : votes, 'p1', `i${i}`, 2));
    const stored = (await Promise.all(casts)).filter((r) => r?.result).length;
    expect(stored).toBe(5);
    expect(await votes.dotsCast('b')).toBe(5);
  });
});
