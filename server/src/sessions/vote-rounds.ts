import { and, asc, eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../../../db/client.ts';
import { voteBallots, voteRounds, type RoundResult } from '../../../db/schema/votes.ts';
import { parseVoteKey } from '../../../contract/board-support.ts';
import type { Identity } from '../auth/identity.ts';
import { CloseCode } from '../errors.ts';
import { controlError, type ControlError } from '../realtime/control-errors.ts';
import type { PastRound } from '../realtime/events.ts';
import { targetExists, voteKey } from '../realtime/votes.ts';
import type { BoardStorage } from '../sync/storage/board-storage.ts';
import { writeInUnit } from './write-together.ts';
import { hiddenDocId, type Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { ballotsHidden, type SessionRecord } from './session-state.ts';

/**
 * Voting rounds. The board doc's `votes` map holds the current round's dots only; opening a round
 * (a session's voting phase, or "Nueva ronda") moves them into `vote_rounds` as per-target
 * results and empties the map. A blind round's dots stay in `vote_ballots`, out of the doc every
 * participant receives, until "Revelar votos" writes them into `votes`.
 */

interface Ballot {
  targetId: string;
  participantId: string;
  dots: number;
}

export function createVoteStore(db: Db) {
  return {
    ballots(boardId: string): Ballot[] {
      return db
        .select({ targetId: voteBallots.targetId, participantId: voteBallots.participantId, dots: voteBallots.dots })
        .from(voteBallots)
        .where(eq(voteBallots.boardId, boardId))
        .all();
    },
    ballotsOf(boardId: string, participantId: string): Ballot[] {
      return db
        .select({ targetId: voteBallots.targetId, participantId: voteBallots.participantId, dots: voteBallots.dots })
        .from(voteBallots)
        .where(and(eq(voteBallots.boardId, boardId), eq(voteBallots.participantId, participantId)))
        .all();
    },
    /** Dots cast so far in the board's blind round (the facilitator's progress figure). */
    dotsCast(boardId: string): number {
      const row = db
        .select({ n: sql<number>`coalesce(sum(${voteBallots.dots}), 0)` })
        .from(voteBallots)
        .where(eq(voteBallots.boardId, boardId))
        .get();
      return row?.n ?? 0;
    },
    setBallot(boardId: string, targetId: string, participantId: string, dots: number): void {
      const key = and(eq(voteBallots.boardId, boardId), eq(voteBallots.targetId, targetId), eq(voteBallots.participantId, participantId));
      if (dots <= 0) db.delete(voteBallots).where(key).run();
      else
        db.insert(voteBallots)
          .values({ boardId, targetId, participantId, dots })
          .onConflictDoUpdate({ target: [voteBallots.boardId, voteBallots.targetId, voteBallots.participantId], set: { dots } })
          .run();
    },
    clearBallots(boardId: string): void {
      db.delete(voteBallots).where(eq(voteBallots.boardId, boardId)).run();
    },
    addRound(boardId: string, round: PastRound): void {
      const { dots: _sum, ...row } = round;
      db.insert(voteRounds)
        .values({ boardId, ...row })
        .run();
    },
    rounds(boardId: string): PastRound[] {
      return db
        .select()
        .from(voteRounds)
        .where(eq(voteRounds.boardId, boardId))
        .orderBy(asc(voteRounds.number), asc(voteRounds.id))
        .all()
        .map(({ id: _id, boardId: _board, ...r }) => ({ ...r, dots: r.results.reduce((n, t) => n + t.dots, 0) }));
    }
  };
}

export type VoteStore = ReturnType<typeof createVoteStore>;

/** This participant's dots in the blind round, on targets still on the board. */
export function ownBallots(store: VoteStore, doc: Y.Doc, boardId: string, participantId: string): Map<string, number> {
  const mine = new Map<string, number>();
  for (const b of store.ballotsOf(boardId, participantId)) if (targetExists(doc, b.targetId)) mine.set(b.targetId, b.dots);
  return mine;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((n, d) => n + d, 0);

/** `vote:cast` in a blind round: the same rules as `castVote`, but the dot goes to `vote_ballots`. */
export function castBallot(
  store: VoteStore,
  room: Room,
  voter: Identity,
  targetId: string,
  delta: 1 | -1,
  budget: number
): { ok: true; remaining: number; mine: Record<string, number> } | { ok: false; error: ControlError } {
  if (voter.role !== 'participant') return { ok: false, error: controlError('VOTE_PARTICIPANTS_ONLY') };
  if (!targetExists(room.doc, targetId)) return { ok: false, error: controlError('TARGET_NOT_FOUND') };
  const mine = ownBallots(store, room.doc, room.boardId, voter.id);
  const used = sum(mine);
  const current = mine.get(targetId) ?? 0;
  if (delta === 1 && used >= budget) return { ok: false, error: controlError('NO_DOTS_LEFT') };
  if (delta === -1 && current === 0) return { ok: false, error: controlError('NO_DOT_TO_WITHDRAW') };
  store.setBallot(room.boardId, targetId, voter.id, current + delta);
  if (current + delta === 0) mine.delete(targetId);
  else mine.set(targetId, current + delta);
  return { ok: true, remaining: Math.max(0, budget - used - delta), mine: Object.fromEntries(mine) };
}

type Dots = Iterable<readonly [string, number]>;

/** Per-target results of a round's dots, on what the board holds now (hidden ideas stay out). */
function resultsOf(doc: Y.Doc, dots: Dots): { results: RoundResult[]; voters: number } {
  const byTarget = new Map<string, { dots: number; voters: Set<string> }>();
  const voters = new Set<string>();
  for (const [key, n] of dots) {
    const parsed = parseVoteKey(key);
    if (!parsed || !(n > 0) || !targetExists(doc, parsed.targetId)) continue;
    const entry = byTarget.get(parsed.targetId) ?? { dots: 0, voters: new Set<string>() };
    entry.dots += n;
    entry.voters.add(parsed.voterId);
    voters.add(parsed.voterId);
    byTarget.set(parsed.targetId, entry);
  }
  const ideas = doc.getMap<Y.Map<unknown>>('ideas');
  const clusters = doc.getMap<Y.Map<unknown>>('clusters');
  const label = (m: unknown, field: string) => (m instanceof Y.Map && typeof m.get(field) === 'string' ? (m.get(field) as string) : '');
  const results = [...byTarget].map(([targetId, e]): RoundResult => {
    const idea = ideas.has(targetId);
    return {
      targetId,
      kind: idea ? 'idea' : 'cluster',
      label: idea ? label(ideas.get(targetId), 'text') : label(clusters.get(targetId), 'title'),
      dots: e.dots,
      voters: e.voters.size
    };
  });
  results.sort((a, b) => b.dots - a.dots || b.voters - a.voters || a.label.localeCompare(b.label, 'es'));
  return { results, voters: voters.size };
}

const clearVotes = (room: Room, reason: string) => {
  if (room.doc.getMap('votes').size > 0) writeInUnit(room, reason, (doc) => doc.getMap('votes').clear());
};

/**
 * Closes the round `before` is in: its dots (the board's, or the ballots of a blind round, which
 * the history then shows) become a `vote_rounds` row, and every idea starts the new round at zero.
 */
function closeRound(store: VoteStore, board: Room, hidden: Room, before: SessionRecord, endedAt: number): void {
  const dots: Dots = ballotsHidden(before.round)
    ? store.ballots(board.boardId).map((b) => [voteKey(b.targetId, b.participantId), b.dots] as const)
    : [...board.doc.getMap<number>('votes').entries()];
  const { results, voters } = resultsOf(board.doc, dots);
  if (results.length > 0) {
    const { number, origin, blind, startedAt } = before.round;
    store.addRound(board.boardId, { number, origin, blind, budget: before.voteBudget, startedAt, endedAt, voters, dots: 0, results });
  }
  store.clearBallots(board.boardId);
  clearVotes(board, 'voting round closed');
  clearVotes(hidden, 'voting round closed');
}

/** "Revelar votos": the ballots go onto the board (or with their idea, if it is hidden now). */
function revealBallots(store: VoteStore, board: Room, hidden: Room): void {
  const ballots = store.ballots(board.boardId);
  const onBoard = ballots.filter((b) => targetExists(board.doc, b.targetId));
  const withHidden = ballots.filter((b) => !targetExists(board.doc, b.targetId) && hidden.doc.getMap('ideas').has(b.targetId));
  const put = (list: Ballot[]) => (doc: Y.Doc) => {
    for (const b of list) doc.getMap<number>('votes').set(voteKey(b.targetId, b.participantId), b.dots);
  };
  if (onBoard.length > 0) writeInUnit(board, 'votes revealed', put(onBoard));
  if (withHidden.length > 0) writeInUnit(hidden, 'votes revealed', put(withHidden));
  store.clearBallots(board.boardId);
}

/**
 * The sessions' `storeChange`: a session change that opens a round or reveals one stores the
 * moved dots and the new record as one unit of the board store (the vote and session rows share
 * its SQLite transaction), whose broadcasts wait for the commit.
 */
export function storeRoundChange(deps: { store: VoteStore; rooms: Rooms; storage: BoardStorage }) {
  return (boardId: string, before: SessionRecord, after: SessionRecord, save: () => Promise<void>): Promise<void> => {
    const opens = after.round.number !== before.round.number;
    const reveals = !opens && ballotsHidden(before.round) && !ballotsHidden(after.round);
    if (!opens && !reveals) return save();
    return storeWithRooms(deps, boardId, (board, hidden) =>
      deps.storage.atomically(() => {
        if (opens) closeRound(deps.store, board, hidden, before, after.round.startedAt);
        else revealBallots(deps.store, board, hidden);
        // Settles with the unit; the caller awaits it.
        void save();
      })
    );
  };
}

async function storeWithRooms(deps: { rooms: Rooms }, boardId: string, store: (board: Room, hidden: Room) => Promise<void>): Promise<void> {
  const board = await deps.rooms.acquire(boardId);
  let hidden: Room;
  try {
    hidden = await deps.rooms.acquire(hiddenDocId(boardId));
  } catch (err) {
    deps.rooms.release(board);
    throw err;
  }
  try {
    await store(board, hidden);
  } catch (err) {
    // Memory may be ahead of disk: the rooms reload what was stored.
    board.close(CloseCode.StorageFailed, 'voting round not stored');
    hidden.close(CloseCode.StorageFailed, 'voting round not stored');
    throw err;
  } finally {
    deps.rooms.release(hidden);
    deps.rooms.release(board);
  }
}
