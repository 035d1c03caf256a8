import type { Phase, PhasePlan, RoundPlan, SessionCommand, SessionState, VotingRound } from '../realtime/events.ts';
import { nextPhase, phaseAllows } from '../../../contract/phases.ts';
import { controlError, type ControlError } from '../realtime/control-errors.ts';

/**
 * What is persisted per board: the public state without its board id and send time. Everything
 * time-related is on the server's clock; while running, `endsAt` counts and `remainingMs` is stale.
 */
export type SessionRecord = Omit<SessionState, 'boardId' | 'serverNow'>;

const MINUTE_MS = 60_000;
/** Defaults of the issue: 10/8/5/15 minutes. */
export const DEFAULT_PLAN: PhasePlan = { ideacion: 10, agrupacion: 8, votacion: 5, discusion: 15 };

/** The open board's first round: what boards stored before rounds existed are in. */
export const FIRST_ROUND: VotingRound = { number: 1, origin: 'abierto', blind: false, revealed: false, startedAt: 0 };
const NO_ROUND_PLAN: RoundPlan = { blind: false, keepOpenVotes: false };

/** Records stored before rounds existed lack them. */
export const withRounds = (r: SessionRecord): SessionRecord => (r.round && r.roundPlan ? r : { ...r, round: r.round ?? FIRST_ROUND, roundPlan: r.roundPlan ?? NO_ROUND_PLAN });

const newRound = (r: SessionRecord, blind: boolean, now: number): VotingRound => ({
  number: r.round.number + 1,
  origin: 'votacion',
  blind,
  revealed: false,
  startedAt: now
});

/** Whether the round's dots are kept off the board now. */
export const ballotsHidden = (round: VotingRound) => round.blind && !round.revealed;

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
  participantSuggestions: false,
  round: FIRST_ROUND,
  roundPlan: NO_ROUND_PLAN
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
    participantSuggestions: r.participantSuggestions === true,
    round: { ...r.round },
    roundPlan: { ...r.roundPlan }
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
    privateIdeation: phase === 'ideacion' ? r.privateIdeation : false,
    // The voting phase opens a round with a fresh budget, unless the open board's dots are kept.
    round: phase === 'votacion' && r.phase !== 'votacion' && !r.roundPlan.keepOpenVotes ? newRound(r, r.roundPlan.blind, now) : r.round
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
      const roundPlan = { blind: cmd.blindVoting ?? false, keepOpenVotes: cmd.keepOpenVotes ?? false };
      if (roundPlan.blind && roundPlan.keepOpenVotes) return fail('BLIND_NEEDS_NEW_ROUND');
      return ok(
        enterPhase(
          {
            ...r,
            plan,
            privateIdeation: cmd.privateIdeation ?? false,
            autoAdvance: cmd.autoAdvance ?? false,
            voteBudget: cmd.voteBudget ?? r.voteBudget,
            roundPlan
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
      const following = nextPhase(r.phase);
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
    case 'round':
      if (r.phase !== 'votacion') return fail('NOT_VOTING');
      return ok({ ...r, round: newRound(r, cmd.blind ?? r.round.blind, now) });
    case 'revealVotes':
      if (!ballotsHidden(r.round)) return fail('NOT_BLIND');
      return ok({ ...r, round: { ...r.round, revealed: true } });
    case 'restore':
      // Needs the ended session, which the session service keeps (sessions.ts).
      return fail('UNDO_EXPIRED');
    case 'remove':
    case 'hide':
      return ok(r);
  }
}

/**
 * "Deshacer" after "Terminar sesión": the session as it was when it ended (phase, lock, the time
 * left then), with the current round (a reveal made meanwhile stays made).
 */
export function resumeEnded(ended: SessionRecord, endedAt: number, current: SessionRecord, now: number): SessionRecord {
  const base = { ...ended, round: current.round, roundPlan: current.roundPlan };
  if (ended.status !== 'running' || ended.endsAt === null) return base;
  const left = Math.max(0, ended.endsAt - endedAt);
  return left > 0 ? { ...base, endsAt: now + left, remainingMs: left } : { ...base, status: 'expired', endsAt: null, remainingMs: 0 };
}

/** When a running countdown reaches zero: "Tiempo", or the next phase if auto-advance was chosen. */
export function expire(r: SessionRecord, now: number): SessionRecord {
  if (r.status !== 'running' || r.endsAt === null || r.endsAt > now) return r;
  if (r.autoAdvance && r.phase !== 'abierto' && r.phase !== 'cierre') {
    const next = nextPhase(r.phase);
    if (next) return enterPhase(r, next, now);
  }
  return { ...r, status: 'expired', endsAt: null, remainingMs: 0 };
}

/** Whether a participant may ask for suggested groups now: allowed, in the clustering phase, unlocked. */
export const participantsMaySuggest = (r: SessionRecord) => r.participantSuggestions === true && r.phase === 'agrupacion' && !r.locked;

/** Whether votes may be cast now. */
export const votingOpen = (r: SessionRecord) => !r.locked && phaseAllows(r.phase, 'vote');
