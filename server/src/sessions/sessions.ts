import type { SessionCommand } from '../realtime/events.ts';
import { newStoredSecret, secretMatches } from '../auth/stored-secret.ts';
import { END_UNDO_GRACE_MS, END_UNDO_MS } from '../../../contract/voting.ts';
import { controlError } from '../realtime/control-errors.ts';
import { applyCommand, expire, openSession, resumeEnded, withRounds, type SessionRecord, type Transition } from './session-state.ts';
import { SessionConflictError, type SessionStore, type UndoOffer } from './session-store.ts';
import { BallotsChangedError } from './vote-store.ts';

/** setTimeout's limit is 2^31-1 ms; longer countdowns are re-armed in steps. */
const MAX_TIMER_MS = 2_147_000_000;
/** A countdown whose change could not be stored tries again this much later. */
const RETRY_MS = 1_000;
/**
 * Tries of a command whose row another process changed since it was read: it is applied again on
 * the reloaded record this many times in all (two facilitators pressing at once need a few).
 */
const COMMAND_TRIES = 16;
/** Upper bound of the random pause before a retry, times the attempt (ms). */
const CONFLICT_PAUSE_MS = 10;

export interface SessionOptions {
  voteBudget: number;
  now?: () => number;
  onChange: (boardId: string, record: SessionRecord) => void;
  /**
   * Calls `save` (synchronously, perhaps inside `BoardStorage.atomically`) with whatever else a
   * change must store with it (a new voting round moves the board's dots), in one transaction;
   * rejects if it could not be stored. The change is announced only once it is.
   */
  storeChange?: (boardId: string, before: SessionRecord, after: SessionRecord, save: () => Promise<void>) => Promise<void>;
}

/**
 * The session of every board: applies facilitators' commands, persists each change before
 * announcing it, and owns the countdowns (re-armed from storage after a restart). The stored row
 * is the authority: `get` answers from memory (filled by `restore`, commands and `reload`), and a
 * command whose row changed since it was read is applied again on the reloaded row.
 */
export class Sessions {
  private readonly records = new Map<string, SessionRecord>();
  /** Version of each board's row as last read or written (absent: no row). */
  private readonly versions = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /**
   * The command running on each board: commands of one board run one after the other in this
   * process, so only another process's change can make one find its row changed.
   */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: SessionStore,
    private readonly options: SessionOptions
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Reads every stored session and re-arms the countdowns that were running when the process stopped. */
  async restore(): Promise<void> {
    for (const { boardId, record, version } of await this.store.all()) this.adopt(boardId, record, version);
  }

  /**
   * Re-reads the board's row and re-arms its countdown: another process changed it (or a command
   * here found it changed). Listeners are not told; whoever made the change announced it.
   */
  async reload(boardId: string): Promise<void> {
    const stored = await this.store.load(boardId);
    if (stored) this.adopt(boardId, stored.record, stored.version);
  }

  /**
   * The board's session as stored now, without taking it as this process's (what a cast through
   * another process must be judged on; adopting it here could undo a change this process is
   * storing at that moment).
   */
  async stored(boardId: string): Promise<SessionRecord> {
    const stored = await this.store.load(boardId);
    return stored ? withRounds(stored.record) : this.get(boardId);
  }

  private adopt(boardId: string, record: SessionRecord, version: number): void {
    const current = withRounds(record);
    this.records.set(boardId, current);
    this.versions.set(boardId, version);
    this.arm(boardId, current);
  }

  /** The board's session as this process knows it (an open board if nothing is stored). */
  get(boardId: string): SessionRecord {
    let record = this.records.get(boardId);
    if (!record) {
      record = openSession(this.options.voteBudget);
      this.records.set(boardId, record);
    }
    return record;
  }

  /**
   * Applies a command once stored; ending a session answers with the token that undoes it for a
   * few seconds, through any process (the offer is stored in the row). If the row changed since
   * this process read it, the command is applied again on the reloaded row (it may then be
   * refused, as it would have been on that row).
   */
  command(boardId: string, cmd: SessionCommand): Promise<Transition & { undoToken?: string }> {
    const previous = this.queues.get(boardId) ?? Promise.resolve();
    const run = previous.then(() => this.commandWithRetries(boardId, cmd));
    const settled = run.catch(() => {});
    this.queues.set(boardId, settled);
    void settled.then(() => {
      if (this.queues.get(boardId) === settled) this.queues.delete(boardId);
    });
    return run;
  }

  private async commandWithRetries(boardId: string, cmd: SessionCommand): Promise<Transition & { undoToken?: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commandOnce(boardId, cmd);
      } catch (err) {
        // Another process wrote the row meanwhile, or cast a ballot the round change had not
        // counted: read again, after a short random pause so two processes retrying at once do
        // not collide again.
        if (!(err instanceof SessionConflictError || err instanceof BallotsChangedError) || attempt >= COMMAND_TRIES) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_PAUSE_MS * attempt));
        await this.reload(boardId);
      }
    }
  }

  private async commandOnce(boardId: string, cmd: SessionCommand): Promise<Transition & { undoToken?: string }> {
    // Judge the command on the stored row, not on what this process last heard: another process's
    // change may not have been announced here yet (a refusal on a stale record would not retry).
    const stored = await this.store.load(boardId);
    if (stored && stored.version !== (this.versions.get(boardId) ?? 0)) this.adopt(boardId, stored.record, stored.version);
    const now = this.now();
    const before = this.get(boardId);
    if (cmd.action === 'restore') return this.restoreEnded(boardId, cmd.undoToken, stored?.undo ?? null, before, now);
    const result = applyCommand(before, cmd, now);
    if (!result.ok) return result;
    if (cmd.action !== 'end' || before.phase === 'abierto') {
      await this.set(boardId, before, result.record);
      return result;
    }
    const { secret, hash } = newStoredSecret(12);
    await this.set(boardId, before, result.record, { tokenHash: hash, record: before, at: now });
    return { ...result, undoToken: secret };
  }

  private async restoreEnded(boardId: string, token: string, ended: UndoOffer | null, current: SessionRecord, now: number): Promise<Transition> {
    // Only the latest end, within its time, and only while nothing started since.
    if (!ended || !secretMatches(token, ended.tokenHash) || now - ended.at > END_UNDO_MS + END_UNDO_GRACE_MS || current.phase !== 'abierto') {
      return { ok: false, error: controlError('UNDO_EXPIRED') };
    }
    // Taken once: the offer is cleared with the change (a second restore, here or elsewhere, finds none).
    const record = resumeEnded(ended.record, ended.at, current, now);
    await this.set(boardId, current, record, null);
    return { ok: true, record };
  }

  /**
   * Stores the change if the row is still the one `before` was read from (else rejects with
   * SessionConflictError), then makes it the board's session. `undo`: as `SessionStore.save`.
   */
  private async set(boardId: string, before: SessionRecord, record: SessionRecord, undo?: UndoOffer | null): Promise<void> {
    const version = this.versions.get(boardId) ?? 0;
    let saved: Promise<number> | null = null;
    const save = () => {
      saved = this.store.save(boardId, record, version, undo);
      const done = saved.then(() => {});
      // Awaited below (and by storeChange when it does not run in a unit, whose failure it reports).
      saved.catch(() => {});
      done.catch(() => {});
      return done;
    };
    if (this.options.storeChange) await this.options.storeChange(boardId, before, record, save);
    else await save();
    if (!saved) throw new Error('storeChange did not save the session');
    this.versions.set(boardId, await (saved as Promise<number>));
    this.take(boardId, record);
  }

  private take(boardId: string, record: SessionRecord): void {
    this.records.set(boardId, record);
    this.arm(boardId, record);
    this.options.onChange(boardId, record);
  }

  private arm(boardId: string, record: SessionRecord): void {
    const existing = this.timers.get(boardId);
    if (existing) clearTimeout(existing);
    this.timers.delete(boardId);
    if (record.status !== 'running' || record.endsAt === null) return;
    const wait = Math.max(0, record.endsAt - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(boardId);
      const current = this.get(boardId);
      const next = expire(current, this.now());
      // Not stored (the disk failed): the phase stays, and the countdown tries again. Another
      // process stored a change first (its own expiry, a command): the row tells what holds now.
      const retry = () => this.timers.set(boardId, setTimeout(() => this.arm(boardId, this.get(boardId)), RETRY_MS).unref());
      if (next === current) return this.arm(boardId, current);
      this.set(boardId, current, next).catch((err: unknown) => {
        if (err instanceof SessionConflictError) this.reload(boardId).catch(retry);
        else retry();
      });
    }, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(boardId, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
