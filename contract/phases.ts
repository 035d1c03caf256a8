/**
 * The phases of a session and what each lets a participant do (docs/api.md, "Per-phase write
 * rules"). The one table: the server's content gate and vote check and the web app's disabled
 * controls all read it. Facilitators are never gated; a lock stops everything.
 */

/** The phases of a structured session, in order; `abierto` is a board with no session running. */
export const SESSION_PHASES = ['ideacion', 'agrupacion', 'votacion', 'discusion', 'cierre'] as const;
export type SessionPhase = (typeof SESSION_PHASES)[number];
export type Phase = 'abierto' | SessionPhase;

/** What a participant may do on a board: post/edit own ideas, group and move, vote, write the proposal. */
export type ParticipantAction = 'post' | 'cluster' | 'vote' | 'proposal';

export const PHASE_ALLOWS: Record<Phase, readonly ParticipantAction[]> = {
  abierto: ['post', 'cluster', 'vote', 'proposal'],
  ideacion: ['post'],
  agrupacion: ['cluster'],
  votacion: ['vote'],
  discusion: ['proposal'],
  cierre: []
};

export const phaseAllows = (phase: Phase, action: ParticipantAction): boolean => PHASE_ALLOWS[phase].includes(action);

/** The phase after `phase`, or null at the end (and on an open board). */
export function nextPhase(phase: Phase): SessionPhase | null {
  if (phase === 'abierto') return null;
  return SESSION_PHASES[SESSION_PHASES.indexOf(phase) + 1] ?? null;
}
