import type { SessionCommand } from '../realtime/events.ts';
import { applyCommand, expire, openSession, type SessionRecord, type Transition } from './session-state.ts';
import type { SessionStore } from './session-store.ts';

/** setTimeout's limit is 2^31-1 ms; longer countdowns are re-armed in steps. */
const MAX_TIMER_MS = 2_147_000_000;

/**
 * The authoritative session of every board: applies facilitators' commands, persists each change
 * before announcing it, and owns the countdowns (re-armed from SQLite after a restart).
 */
export class Sessions {
  private readonly records = new Map<string, SessionRecord>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: SessionStore,
    private readonly options: { voteBudget: number; now?: () => number; onChange: (boardId: string, record: SessionRecord) => void }
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Re-arms the countdowns that were running when the process stopped. */
  restore(): void {
    for (const { boardId, record } of this.store.all()) {
      this.records.set(boardId, record);
      this.arm(boardId, record);
    }
  }

  get(boardId: string): SessionRecord {
    let record = this.records.get(boardId);
    if (!record) {
      record = this.store.load(boardId) ?? openSession(this.options.voteBudget);
      this.records.set(boardId, record);
    }
    return record;
  }

  command(boardId: string, cmd: SessionCommand): Transition {
    const result = applyCommand(this.get(boardId), cmd, this.now());
    if (result.ok) this.set(boardId, result.record);
    return result;
  }

  private set(boardId: string, record: SessionRecord): void {
    this.store.save(boardId, record);
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
      if (next !== current) this.set(boardId, next);
      else this.arm(boardId, current);
    }, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(boardId, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
