import type { SessionCommand } from '../realtime/events.ts';
import { randomBytes } from 'node:crypto';
import { END_UNDO_GRACE_MS, END_UNDO_MS } from '../../../contract/voting.ts';
import { controlError } from '../realtime/control-errors.ts';
import { applyCommand, expire, openSession, resumeEnded, withRounds, type SessionRecord, type Transition } from './session-state.ts';
import type { SessionStore } from './session-store.ts';

/** setTimeout's limit is 2^31-1 ms; longer countdowns are re-armed in steps. */
const MAX_TIMER_MS = 2_147_000_000;
/** A countdown whose change could not be stored tries again this much later. */
const RETRY_MS = 1_000;

interface Ended {
  token: string;
  record: SessionRecord;
  at: number;
}

export interface SessionOptions {
  voteBudget: number;
  now?: () => number;
  onChange: (boardId: string, record: SessionRecord) => void;
  /**
   * Runs `save` with whatever else a change must store with it (a new voting round moves the
   * board's dots), in one transaction; throws, or answers a promise that rejects, if it could not
   * be stored. The change is announced only once it is.
   */
  storeChange?: (boardId: string, before: SessionRecord, after: SessionRecord, save: () => void) => void | Promise<void>;
}

/**
 * The authoritative session of every board: applies facilitators' commands, persists each change
 * before announcing it, and owns the countdowns (re-armed from SQLite after a restart).
 */
export class Sessions {
  private readonly records = new Map<string, SessionRecord>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Sessions just ended, for "Deshacer" (memory only: a restart ends the offer). */
  private readonly ended = new Map<string, Ended>();

  constructor(
    private readonly store: SessionStore,
    private readonly options: SessionOptions
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Re-arms the countdowns that were running when the process stopped. */
  restore(): void {
    for (const { boardId, record } of this.store.all()) {
      const current = withRounds(record);
      this.records.set(boardId, current);
      this.arm(boardId, current);
    }
  }

  /**
   * Reads the board's session again from the store, after another process changed it (issue 13):
   * this process's write gate and countdown follow the stored row. Announces nothing: the process
   * that made the change broadcast it to everyone.
   */
  reload(boardId: string): void {
    const stored = this.store.load(boardId);
    const record = stored ? withRounds(stored) : openSession(this.options.voteBudget);
    if (record.phase !== 'abierto') this.ended.delete(boardId);
    this.records.set(boardId, record);
    this.arm(boardId, record);
  }

  get(boardId: string): SessionRecord {
    let record = this.records.get(boardId);
    if (!record) {
      const stored = this.store.load(boardId);
      record = stored ? withRounds(stored) : openSession(this.options.voteBudget);
      this.records.set(boardId, record);
    }
    return record;
  }

  /**
   * Applies a command once stored; ending a session answers with the token that undoes it for a
   * few seconds.
   */
  async command(boardId: string, cmd: SessionCommand): Promise<Transition & { undoToken?: string }> {
    const now = this.now();
    const before = this.get(boardId);
    if (cmd.action === 'restore') return this.restoreEnded(boardId, cmd.undoToken, before, now);
    const result = applyCommand(before, cmd, now);
    if (!result.ok) return result;
    await this.set(boardId, result.record);
    if (cmd.action !== 'end' || before.phase === 'abierto') return result;
    const token = randomBytes(12).toString('base64url');
    this.ended.set(boardId, { token, record: before, at: now });
    return { ...result, undoToken: token };
  }

  private async restoreEnded(boardId: string, token: string, current: SessionRecord, now: number): Promise<Transition> {
    const ended = this.ended.get(boardId);
    // Only the latest end, within its time, and only while nothing started since.
    if (!ended || ended.token !== token || now - ended.at > END_UNDO_MS + END_UNDO_GRACE_MS || current.phase !== 'abierto') {
      return { ok: false, error: controlError('UNDO_EXPIRED') };
    }
    this.ended.delete(boardId);
    const record = resumeEnded(ended.record, ended.at, current, now);
    await this.set(boardId, record);
    return { ok: true, record };
  }

  /** Stores the change, then makes it the board's session; a promise when storing takes one. */
  private set(boardId: string, record: SessionRecord): void | Promise<void> {
    const before = this.get(boardId);
    const save = () => this.store.save(boardId, record);
    const stored = this.options.storeChange ? this.options.storeChange(boardId, before, record, save) : save();
    if (stored) return stored.then(() => this.take(boardId, record));
    this.take(boardId, record);
  }

  private take(boardId: string, record: SessionRecord): void {
    if (record.phase !== 'abierto') this.ended.delete(boardId);
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
      // Not stored (the disk failed): the phase stays, and the countdown tries again.
      const retry = () => this.timers.set(boardId, setTimeout(() => this.arm(boardId, this.get(boardId)), RETRY_MS).unref());
      try {
        if (next !== current) this.set(boardId, next)?.catch(retry);
        else this.arm(boardId, current);
      } catch {
        retry();
      }
    }, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(boardId, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
