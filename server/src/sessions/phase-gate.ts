import { phaseAllows, type ParticipantAction, type Phase } from '../../../contract/phases.ts';
import { refusal, type Refusal } from '../sync/refusals.ts';
import type { GateContext } from '../sync/types.ts';
import type { Write } from '../sync/update-inspector.ts';
import type { SessionRecord } from './session-state.ts';

/** The participant action a content write is, or null for unknown root keys. */
function actionOf(w: Write): ParticipantAction | null {
  if (w.root === 'clusters') return 'cluster';
  if (w.root === 'proposal') return 'proposal';
  if (w.root !== 'ideas') return null;
  // Moving an existing idea (to a group or back to "Sin grupo") is grouping; the clusterId of an
  // idea this very update creates is part of posting it.
  if (w.path[1] === 'clusterId') return w.entryNew ? 'post' : 'cluster';
  return 'post';
}

/** Unknown root keys are writable only in phases where participants write something to the doc. */
const writesContent = (phase: Phase) => phaseAllows(phase, 'post') || phaseAllows(phase, 'cluster') || phaseAllows(phase, 'proposal');

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
    for (const w of ctx.writes) {
      if (w.root === null) continue;
      const action = actionOf(w);
      if (action === 'post' && session.phase === 'ideacion' && session.privateIdeation) {
        return refusal('PRIVATE_IDEATION', 'board write during private ideation');
      }
      const allowed = action === null ? writesContent(session.phase) : phaseAllows(session.phase, action);
      if (!allowed) return refusal('PHASE_FORBIDS', `${action ?? 'other'} in ${session.phase}`);
    }
    return null;
  };
}
