import * as Y from 'yjs';
import type { RoundResult } from '../../../db/schema/votes.ts';
import { parseVoteKey } from '../../../contract/board-support.ts';
import type { Identity } from '../auth/identity.ts';
import { CloseCode } from '../errors.ts';
import { controlError, type ControlError } from '../realtime/control-errors.ts';
import { targetExists, voteKey } from '../realtime/votes.ts';
import type { BoardStorage } from '../sync/storage/board-storage.ts';
import { writeInUnit } from './write-together.ts';
import { hiddenDocId, type Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { ballotsHidden, type SessionRecord } from './session-state.ts';
import { BallotsChangedError, type Ballot, type CastDecision, type VoteStore } from './vote-store.ts';

export { createPgVoteStore, createVoteStore, type Ballot, type VoteStore } from './vote-store.ts';

/**
 * Voting rounds. The board doc's `votes` map holds the current round's dots only; opening a round
 * (a session's voting phase, or "Nueva ronda") moves them into `vote_rounds` as per-target
 * results and empties the map. A blind round's dots stay in `vote_ballots`, out of the doc every
 * participant receives, until "Revelar votos" writes them into `votes`.
 */

/**
 * One lane per board for what reads and writes its ballots: a cast (read own ballots, check the
 * budget, write) and a round change (read the ballots, store the round) of one board never
 * interleave in this process, so a round change counts every ballot cast before it, and a cast
 * queued behind it sees the round it opened (`roundOf`). Across processes, `clearBallots` checks
 * that the stored ballots are the ones counted.
 */
class VoteLanes {
  private readonly tails = new Map<string, Promise<void>>();
  /** The round each board is in after a round change stored here (until the session shows it). */
  private readonly stored = new Map<string, SessionRecord['round']>();

  roundStored(boardId: string, round: SessionRecord['round']): void {
    this.stored.set(boardId, round);
  }

  /** The board's round now: the session's, or the one a round change stored that it does not show yet. */
  roundOf(boardId: string, session: SessionRecord['round']): SessionRecord['round'] {
    const stored = this.stored.get(boardId);
    if (!stored) return session;
    // Round numbers only grow: the session has caught up (or moved on through another process).
    if (session.number > stored.number || (session.number === stored.number && ballotsHidden(session) === ballotsHidden(stored))) {
      this.stored.delete(boardId);
      return session;
    }
    return stored;
  }

  run<T>(boardId: string, job: () => Promise<T>): Promise<T> {
    const before = this.tails.get(boardId) ?? Promise.resolve();
    const result = before.then(job);
    const tail = result.then(ignore, ignore);
    this.tails.set(boardId, tail);
    void tail.then(() => {
      if (this.tails.get(boardId) === tail) this.tails.delete(boardId);
    });
    return result;
  }
}

const ignore = () => {};
/** A write enlisted in `atomically`'s unit: its failure is the unit's, which the caller awaits. */
const enlist = (write: Promise<void>) => void write.catch(ignore);
const lanes = new WeakMap<VoteStore, VoteLanes>();
const lanesOf = (store: VoteStore) => {
  let l = lanes.get(store);
  if (!l) lanes.set(store, (l = new VoteLanes()));
  return l;
};

/** This participant's dots in the blind round, on targets still on the board. */
export async function ownBallots(store: VoteStore, doc: Y.Doc, boardId: string, participantId: string): Promise<Map<string, number>> {
  return onBoard(doc, await store.ballotsOf(boardId, participantId));
}

const onBoard = (doc: Y.Doc, ballots: readonly Ballot[]) => {
  const mine = new Map<string, number>();
  for (const b of ballots) if (targetExists(doc, b.targetId)) mine.set(b.targetId, b.dots);
  return mine;
};

const sum = (m: Map<string, number>) => [...m.values()].reduce((n, d) => n + d, 0);

type CastResult = { ok: true; remaining: number; mine: Record<string, number> } | { ok: false; error: ControlError };

/**
 * `vote:cast` in a blind round: the same rules as `castVote`, but the dot goes to `vote_ballots`.
 * `round` is the blind round the caller saw open; `session()` reads the board's session now. On
 * the board's vote lane, so a round change cannot come between the read and the write.
 */
export function castBallot(
  store: VoteStore,
  room: Room,
  voter: Identity,
  targetId: string,
  delta: 1 | -1,
  budget: number,
  round: SessionRecord['round'],
  session: () => SessionRecord
): Promise<CastResult> {
  const votes = lanesOf(store);
  return votes.run(room.boardId, async (): Promise<CastResult> => {
    // A round change stored while this cast waited: the round it was cast in is over.
    const now = votes.roundOf(room.boardId, session().round);
    if (now.number !== round.number || !ballotsHidden(now)) return { ok: false, error: controlError('VOTING_CLOSED') };
    return castOnLane(store, room, voter, targetId, delta, budget, round.number);
  });
}

async function castOnLane(store: VoteStore, room: Room, voter: Identity, targetId: string, delta: 1 | -1, budget: number, round: number): Promise<CastResult> {
  if (voter.role !== 'participant') return { ok: false, error: controlError('VOTE_PARTICIPANTS_ONLY') };
  if (!targetExists(room.doc, targetId)) return { ok: false, error: controlError('TARGET_NOT_FOUND') };
  // The read of her ballots and the write are one step of the store: her other device, perhaps
  // on another process, cannot spend the same dot meanwhile.
  const cast = await store.castBallot(room.boardId, voter.id, round, (ballots): CastDecision<CastResult> => {
    const mine = onBoard(room.doc, ballots);
    const used = sum(mine);
    const current = mine.get(targetId) ?? 0;
    if (delta === 1 && used >= budget) return { result: { ok: false, error: controlError('NO_DOTS_LEFT') } };
    if (delta === -1 && current === 0) return { result: { ok: false, error: controlError('NO_DOT_TO_WITHDRAW') } };
    if (current + delta === 0) mine.delete(targetId);
    else mine.set(targetId, current + delta);
    const result: CastResult = { ok: true, remaining: Math.max(0, budget - used - delta), mine: Object.fromEntries(mine) };
    return { result, set: { targetId, dots: current + delta } };
  });
  // The stored session decides: another process may have closed the round already.
  return cast ? cast.result : { ok: false, error: controlError('VOTING_CLOSED') };
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

/** Whether it wrote the doc. */
const clearVotes = (room: Room, reason: string): boolean => {
  if (room.doc.getMap('votes').size === 0) return false;
  writeInUnit(room, reason, (doc) => doc.getMap('votes').clear());
  return true;
};

/**
 * Closes the round `before` is in: its dots (the board's, or the ballots of a blind round, which
 * the history then shows) become a `vote_rounds` row, and every idea starts the new round at zero.
 */
function closeRound(store: VoteStore, ballots: readonly Ballot[], board: Room, hidden: Room, before: SessionRecord, endedAt: number): boolean {
  const dots: Dots = ballotsHidden(before.round)
    ? ballots.map((b) => [voteKey(b.targetId, b.participantId), b.dots] as const)
    : [...board.doc.getMap<number>('votes').entries()];
  const { results, voters } = resultsOf(board.doc, dots);
  if (results.length > 0) {
    const { number, origin, blind, startedAt } = before.round;
    enlist(store.addRound(board.boardId, { number, origin, blind, budget: before.voteBudget, startedAt, endedAt, voters, dots: 0, results }));
  }
  enlist(store.clearBallots(board.boardId, ballots));
  return [clearVotes(board, 'voting round closed'), clearVotes(hidden, 'voting round closed')].some(Boolean);
}

/** "Revelar votos": the ballots go onto the board (or with their idea, if it is hidden now). Whether it wrote a doc. */
function revealBallots(store: VoteStore, ballots: readonly Ballot[], board: Room, hidden: Room): boolean {
  const onBoard = ballots.filter((b) => targetExists(board.doc, b.targetId));
  const withHidden = ballots.filter((b) => !targetExists(board.doc, b.targetId) && hidden.doc.getMap('ideas').has(b.targetId));
  const put = (list: readonly Ballot[]) => (doc: Y.Doc) => {
    for (const b of list) doc.getMap<number>('votes').set(voteKey(b.targetId, b.participantId), b.dots);
  };
  if (onBoard.length > 0) writeInUnit(board, 'votes revealed', put(onBoard));
  if (withHidden.length > 0) writeInUnit(hidden, 'votes revealed', put(withHidden));
  enlist(store.clearBallots(board.boardId, ballots));
  return onBoard.length + withHidden.length > 0;
}

/**
 * The sessions' `storeChange`: a session change that opens a round or reveals one stores the
 * moved dots and the new record as one unit of the board store (the vote and session rows share
 * its transaction, on SQLite or PostgreSQL), whose broadcasts wait for the commit.
 *
 * `atomically`'s work is synchronous, so the ballots it moves are read before it, on the board's
 * vote lane (no cast of this process comes in between); the unit's `clearBallots` then checks
 * that the ballots it deletes are exactly those (a cast through another process fails the change,
 * which stores nothing, instead of being lost, and Sessions tries the command again).
 */
export function storeRoundChange(deps: {
  store: VoteStore;
  rooms: Rooms;
  storage: BoardStorage;
  /**
   * Several processes: runs the change while no open-round dot is cast on any of them
   * (realtime/open-casts.ts); the round is then closed on the board as stored.
   */
  exclusive?: ((boardId: string, work: () => Promise<void>) => Promise<void>) | null;
}) {
  const votes = lanesOf(deps.store);
  const exclusive = deps.exclusive ?? ((_boardId: string, work: () => Promise<void>) => work());
  return (boardId: string, before: SessionRecord, after: SessionRecord, save: () => Promise<void>): Promise<void> => {
    const opens = after.round.number !== before.round.number;
    const reveals = !opens && ballotsHidden(before.round) && !ballotsHidden(after.round);
    if (!opens && !reveals) return save();
    return votes.run(boardId, () => exclusive(boardId, async () => {
      let wrote = false;
      await storeWithRooms(deps, boardId, () => wrote, async (board, hidden) => {
        // Dots cast through other processes are stored; they may not have reached this doc yet.
        if (deps.exclusive) await board.catchUp();
        const ballots = ballotsHidden(before.round) ? await deps.store.ballots(boardId) : [];
        await deps.storage.atomically(() => {
          // First in the unit: on PostgreSQL its row lock makes a cast through another process
          // wait for the commit (then see the new round), or this unit wait for that cast's ballot
          // (which clearBallots then finds). Settles with the unit; the caller awaits it.
          void save();
          wrote = opens ? closeRound(deps.store, ballots, board, hidden, before, after.round.startedAt) : revealBallots(deps.store, ballots, board, hidden);
        });
      });
      // The session takes the new round once this resolves; casts queued meanwhile see it now.
      votes.roundStored(boardId, after.round);
    }));
  };
}

/**
 * Runs `store` on the board's room and its hidden room. If it fails after writing their docs
 * (`wrote`), memory is ahead of disk and the rooms are dropped to reload what was stored; a unit
 * refused only because the ballots changed, before any doc was written, leaves them open.
 */
async function storeWithRooms(deps: { rooms: Rooms }, boardId: string, wrote: () => boolean, store: (board: Room, hidden: Room) => Promise<void>): Promise<void> {
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
    if (err instanceof BallotsChangedError && !wrote()) throw err;
    board.close(CloseCode.StorageFailed, 'voting round not stored');
    hidden.close(CloseCode.StorageFailed, 'voting round not stored');
    throw err;
  } finally {
    deps.rooms.release(hidden);
    deps.rooms.release(board);
  }
}
