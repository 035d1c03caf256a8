import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import type { PgAdvisoryLock } from '../sync/storage/pg-advisory-lock.ts';
import type { SessionRecord } from '../sessions/session-state.ts';
import type { Room } from '../sync/room.ts';

/** How long a cast waits for the previous one (written through another process) to arrive by Redis. */
const ARRIVAL_WAIT_MS = 100;
/**
 * Casts of one participant on one board that may wait on this process behind the one under way:
 * this process runs its open casts one after another, so a burst from one person (one socket may
 * send 400 events at once) would hold up everyone else's dots; past these, casts are refused at
 * once (RATE_LIMITED). The web app sends one cast per idea at a time.
 */
export const MAX_OPEN_CASTS_WAITING = 3;
/** A board's last-cast record outlives any workshop's voting phase, then Redis forgets it. */
const RECORD_TTL_S = 24 * 60 * 60;

/**
 * One participant's open-round dots when several processes serve a board (PostgreSQL + Redis).
 * An open dot is written into the board document, and the budget is checked against the copy the
 * cast's process holds, so two casts of one person through two processes must not overlap and
 * each must see the one before: casts of one (board, participant) run under a PostgreSQL advisory
 * lock, and before checking, the process makes sure its doc holds everything the doc of the
 * previous cast's process held once that dot was stored.
 *
 * That previous state is a Yjs snapshot (state vector and delete set: a dot taken back to zero
 * deletes, and deletions move no state vector) left in Redis by the previous cast. The cast takes
 * it away as it starts (GETDEL), and leaves its own only once it is done, so a record exists only
 * after a cast that finished: if a process died in between, Redis lost the record or did not
 * answer, the cast reads the board as stored instead (`Room.catchUp`), which always holds
 * everything a finished cast stored. When the doc lacks part of the record, the cast waits a
 * moment for it to arrive through the fan-out, then reads the board as stored.
 */
export class OpenCasts {
  constructor(
    private readonly lock: PgAdvisoryLock,
    private readonly redis: Redis,
    private readonly sessions: { stored(boardId: string): Promise<SessionRecord> }
  ) {}

  /** Casts of each (board, participant) under way or waiting on this process. */
  private readonly queued = new Map<string, number>();

  /**
   * Runs one cast of `participantId` (null, refused at once: too many of theirs wait already,
   * MAX_OPEN_CASTS_WAITING): `cast` gets the board's session as stored (the phase or the
   * round may have changed through another process a moment ago) and a doc holding the previous
   * cast of this participant, whichever process made it.
   */
  run<T>(room: Room, boardId: string, participantId: string, cast: (session: SessionRecord) => T | Promise<T>): Promise<T> | null {
    const key = `votes|${boardId}|${participantId}`;
    const queued = this.queued.get(key) ?? 0;
    if (queued > MAX_OPEN_CASTS_WAITING) return null;
    this.queued.set(key, queued + 1);
    const done = () => {
      const left = (this.queued.get(key) ?? 1) - 1;
      if (left > 0) this.queued.set(key, left);
      else this.queued.delete(key);
    };
    const run = this.lock.run(
      key,
      async () => {
        const session = await this.sessions.stored(boardId);
        // A new (or revealed) round names other records: the first cast in it reads the board.
        const record = `minga:cast:${boardId}:${session.round.number}${session.round.revealed ? 'r' : ''}:${participantId}`;
        const before = await this.redis.getdelBuffer(record).catch(() => null);
        if (!before || !(await arrives(room.doc, Y.decodeSnapshot(before), ARRIVAL_WAIT_MS))) await room.catchUp();
        const result = await cast(session);
        // Whatever the outcome, this doc now holds what the next cast must see. If Redis does not
        // take it, there is no record and the next cast reads the board as stored.
        await this.redis.set(record, Buffer.from(Y.encodeSnapshot(Y.snapshot(room.doc))), 'EX', RECORD_TTL_S).catch(() => {});
        return result;
      },
      { within: roundLock(boardId) }
    );
    void run.then(done, done);
    return run;
  }
}

/**
 * Held exclusively while a round of the board changes ("Nueva ronda", a reveal), on whichever
 * process; every open cast holds it shared. So no dot is cast while a round closes: each one is
 * counted in the round it was acked in, and a cast after the change reads the board as stored.
 */
export const roundLock = (boardId: string) => `rounds|${boardId}`;

/** Resolves true once `doc` holds `snapshot` (at once, or within `waitMs` as updates arrive), else false. */
function arrives(doc: Y.Doc, snapshot: Y.Snapshot, waitMs: number): Promise<boolean> {
  if (holdsSnapshot(doc, snapshot)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (held: boolean) => {
      clearTimeout(timer);
      doc.off('afterTransaction', check);
      resolve(held);
    };
    const check = () => {
      if (holdsSnapshot(doc, snapshot)) done(true);
    };
    const timer = setTimeout(() => done(false), waitMs);
    doc.on('afterTransaction', check);
  });
}

/**
 * Whether `doc` holds everything of `snapshot`: every insert up to its state vector and every
 * deletion of its delete set (so what a doc showed at that snapshot, this one shows too, or shows
 * a later state of).
 */
export function holdsSnapshot(doc: Y.Doc, snapshot: Y.Snapshot): boolean {
  for (const [client, clock] of snapshot.sv) {
    if (Y.getState(doc.store, client) < clock) return false;
  }
  const ours = Y.createDeleteSetFromStructStore(doc.store).clients;
  for (const [client, ranges] of snapshot.ds.clients) {
    const deleted = ours.get(client);
    if (!deleted) {
      if (ranges.some((r) => r.len > 0)) return false;
      continue;
    }
    for (const r of ranges) if (!covered(deleted, r.clock, r.len)) return false;
  }
  return true;
}

/** Whether the sorted, merged ranges `deleted` cover [clock, clock + len). */
function covered(deleted: readonly { clock: number; len: number }[], clock: number, len: number): boolean {
  let lo = 0;
  let hi = deleted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = deleted[mid]!;
    if (clock < d.clock) hi = mid - 1;
    else if (clock >= d.clock + d.len) lo = mid + 1;
    else return clock + len <= d.clock + d.len;
  }
  return len === 0;
}
