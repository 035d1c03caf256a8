import { refusal, type Refusal } from '../sync/refusals.ts';
import type { GateContext } from '../sync/types.ts';
import type { Write } from '../sync/update-inspector.ts';
import type { SessionRecord } from './session-state.ts';

/** Which content writes each phase allows a participant (facilitators are never gated). */
type WriteKind = 'idea' | 'grouping' | 'proposal' | 'other';

function kindOf(w: Write): WriteKind {
  if (w.root === 'clusters') return 'grouping';
  if (w.root === 'proposal') return 'proposal';
  if (w.root !== 'ideas') return 'other';
  // Moving an existing idea (to a group or back to "Sin grupo") is grouping; the clusterId of an
  // idea this very update creates is part of posting it.
  if (w.path[1] === 'clusterId') return w.entryNew ? 'idea' : 'grouping';
  return 'idea';
}

/** Unknown root keys ("other") are writable only in phases where participants write something. */
const ALLOWED: Record<SessionRecord['phase'], ReadonlySet<WriteKind>> = {
  abierto: new Set(['idea', 'grouping', 'proposal', 'other']),
  ideacion: new Set(['idea', 'other']),
  agrupacion: new Set(['grouping', 'other']),
  votacion: new Set(),
  discusion: new Set(['proposal', 'other']),
  cierre: new Set()
};

/** The sessions' write gate: locks, phases and private ideation, enforced on the content plane. */
export function phaseGate(sessionOf: (boardId: string) => SessionRecord) {
  return (ctx: GateContext): Refusal | null => {
    if (ctx.writer.role === 'facilitator') return null;
    const session = sessionOf(ctx.boardId);
    if (session.locked) return refusal('BOARD_LOCKED');
    if (ctx.privateOwner !== null) {
      // A private doc takes ideas, only while private ideation runs.
      if (session.phase !== 'ideacion' || !session.privateIdeation) return refusal('PHASE_FORBIDS', 'private doc outside private ideation');
      return ctx.writes.every((w) => w.root === null || w.root === 'ideas') ? null : refusal('INVALID_SHAPE', 'private docs hold ideas only');
    }
    const allowed = ALLOWED[session.phase];
    for (const w of ctx.writes) {
      if (w.root === null) continue;
      const kind = kindOf(w);
      if (kind === 'idea' && session.phase === 'ideacion' && session.privateIdeation) {
        return refusal('PRIVATE_IDEATION', 'board write during private ideation');
      }
      if (!allowed.has(kind)) return refusal('PHASE_FORBIDS', `${kind} in ${session.phase}`);
    }
    return null;
  };
}
