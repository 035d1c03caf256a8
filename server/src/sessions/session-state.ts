import type { Phase, PhasePlan, SessionCommand, SessionState } from '../realtime/events.ts';
import { SESSION_PHASES } from '../realtime/events.ts';
import { controlError, type ControlError } from '../realtime/control-errors.ts';

/**
 * What is persisted per board: the public state without its board id and send time. Everything
 * time-related is on the server's clock; while running, `endsAt` counts and `remainingMs` is stale.
 */
export type SessionRecord = Omit<SessionState, 'boardId' | 'serverNow'>;

const MINUTE_MS = 60_000;
/** Defaults of the issue: 10/8/5/15 minutes. */
export const DEFAULT_PLAN: PhasePlan = { ideacion: 10, agrupacion: 8, votacion: 5, discusion: 15 };

export const openSession = (voteBudget: number): SessionRecord => ({
  phase: 'abierto',
  status: 'idle',
  endsAt: null,
  remainingMs: null,
  durationMs: null,
  locked: false,
  plan: { ...DEFAULT_PLAN },
  privateIdeation: false,
  autoAdvance: false,
  voteBudget,
  follow: false,
  focusQuestionId: null,
  participantSuggestions: false
});

export function toPublicState(boardId: string, r: SessionRecord, now: number): SessionState {
  const remainingMs =
    r.status === 'running' && r.endsAt !== null ? Math.max(0, r.endsAt - now) : r.status === 'expired' ? 0 : r.remainingMs;
  return {
    boardId,
    phase: r.phase,
    status: r.status,
    endsAt: r.status === 'running' ? r.endsAt : null,
    remainingMs,
    durationMs: r.durationMs,
    locked: r.locked,
    serverNow: now,
    plan: { ...r.plan },
    privateIdeation: r.privateIdeation,
    autoAdvance: r.autoAdvance,
    voteBudget: r.voteBudget,
    follow: r.follow,
    focusQuestionId: r.focusQuestionId,
    // Records stored before the flag existed lack it.
    participantSuggestions: r.participantSuggestions === true
  };
}

/** The phase's countdown begins: running with its planned length, or idle when it has none. */
function enterPhase(r: SessionRecord, phase: Phase, now: number): SessionRecord {
  const minutes = phase === 'abierto' || phase === 'cierre' ? 0 : r.plan[phase];
  const durationMs = minutes > 0 ? minutes * MINUTE_MS : null;
  return {
    ...r,
    phase,
    status: durationMs ? 'running' : 'idle',
    endsAt: durationMs ? now + durationMs : null,
    remainingMs: durationMs,
    durationMs,
    privateIdeation: phase === 'ideacion' ? r.privateIdeation : false
  };
}

export type Transition = { ok: true; record: SessionRecord } | { ok: false; error: ControlError };

const fail = (code: Parameters<typeof controlError>[0]): Transition => ({ ok: false, error: controlError(code) });
const ok = (record: SessionRecord): Transition => ({ ok: true, record });

/**
 * The timer and phase part of a facilitator's command, as a pure function of the record and the
 * server's clock. Commands with effects beyond the record (reveal, remove, hide) are applied by
 * the session service; here they only validate.
 */
export function applyCommand(r: SessionRecord, cmd: SessionCommand, now: number): Transition {
  switch (cmd.action) {
    case 'start': {
      const plan = { ...r.plan, ...cmd.plan };
      return ok(
        enterPhase(
          {
            ...r,
            plan,
            privateIdeation: cmd.privateIdeation ?? false,
            autoAdvance: cmd.autoAdvance ?? false,
            voteBudget: cmd.voteBudget ?? r.voteBudget
          },
          'ideacion',
          now
        )
      );
    }
    case 'pause':
      if (r.status !== 'running' || r.endsAt === null) return fail('TIMER_NOT_RUNNING');
      return ok({ ...r, status: 'paused', remainingMs: Math.max(0, r.endsAt - now), endsAt: null });
    case 'resume':
      if (r.status !== 'paused' || r.remainingMs === null) return fail('TIMER_NOT_PAUSED');
      return ok({ ...r, status: 'running', endsAt: now + r.remainingMs });
    case 'extend': {
      const delta = cmd.minutes * MINUTE_MS;
      if (r.phase === 'abierto' || r.phase === 'cierre') return fail('NO_SESSION');
      if (r.status === 'running' && r.endsAt !== null) {
        const endsAt = r.endsAt + delta;
        if (endsAt <= now) return ok({ ...r, status: 'expired', endsAt: null, remainingMs: 0 });
        return ok({ ...r, endsAt, durationMs: Math.max(0, (r.durationMs ?? 0) + delta) });
      }
      if (r.status === 'paused') {
        return ok({ ...r, remainingMs: Math.max(0, (r.remainingMs ?? 0) + delta), durationMs: Math.max(0, (r.durationMs ?? 0) + delta) });
      }
      // Expired or without a countdown: extending starts one.
      if (delta <= 0) return fail('TIMER_NOT_RUNNING');
      return ok({ ...r, status: 'running', endsAt: now + delta, remainingMs: delta, durationMs: delta });
    }
    case 'next': {
      if (r.phase === 'abierto') return fail('NO_SESSION');
      const i = SESSION_PHASES.indexOf(r.phase);
      const following = SESSION_PHASES[i + 1];
      if (!following) return fail('LAST_PHASE');
      return ok(enterPhase(r, following, now));
    }
    case 'end':
      return ok({ ...enterPhase(r, 'abierto', now), privateIdeation: false, follow: false });
    case 'lock':
      return ok({ ...r, locked: true });
    case 'unlock':
      return ok({ ...r, locked: false });
    case 'follow':
      return ok({ ...r, follow: cmd.on });
    case 'focus':
      return ok({ ...r, focusQuestionId: cmd.questionId });
    case 'reveal':
      return ok({ ...r, privateIdeation: false });
    case 'suggestions':
      return ok({ ...r, participantSuggestions: cmd.allowParticipants });
    case 'remove':
    case 'hide':
      return ok(r);
  }
}

/** When a running countdown reaches zero: "Tiempo", or the next phase if auto-advance was chosen. */
export function expire(r: SessionRecord, now: number): SessionRecord {
  if (r.status !== 'running' || r.endsAt === null || r.endsAt > now) return r;
  if (r.autoAdvance && r.phase !== 'abierto' && r.phase !== 'cierre') {
    const next = SESSION_PHASES[SESSION_PHASES.indexOf(r.phase) + 1];
    if (next) return enterPhase(r, next, now);
  }
  return { ...r, status: 'expired', endsAt: null, remainingMs: 0 };
}

/** Whether a participant may ask for suggested groups now: allowed, in the clustering phase, unlocked. */
export const participantsMaySuggest = (r: SessionRecord) => r.participantSuggestions === true && r.phase === 'agrupacion' && !r.locked;

/** Whether votes may be cast now. */
export const votingOpen = (r: SessionRecord) => !r.locked && (r.phase === 'abierto' || r.phase === 'votacion');
