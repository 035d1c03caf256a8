import { describe, expect, it } from 'vitest';
import { PHASE_ALLOWS, SESSION_PHASES, type ParticipantAction, type Phase } from '../../contract/phases.ts';
import type { Identity } from '../../server/src/auth/identity.ts';
import { phaseGate } from '../../server/src/sessions/phase-gate.ts';
import { openSession, votingOpen, type SessionRecord } from '../../server/src/sessions/session-state.ts';
import type { Write } from '../../server/src/sync/update-inspector.ts';

/** The content write each action makes, as the update inspector reports it. */
const WRITES: Record<Exclude<ParticipantAction, 'vote'>, Partial<Write>> = {
  post: { root: 'ideas', path: ['i1', 'text'], entryNew: true },
  cluster: { root: 'ideas', path: ['i1', 'clusterId'], entryNew: false },
  proposal: { root: 'proposal', path: [], entryNew: false }
};
const participant = { role: 'participant', id: 'p1', workshopId: 'w1' } as Identity;
const PHASES: Phase[] = ['abierto', ...SESSION_PHASES];

describe('the phase table (contract/phases.ts) is what the server enforces', () => {
  it.each(PHASES)('in %s, refuses on the content plane exactly the writes the table forbids, and votes likewise', (phase) => {
    const session: SessionRecord = { ...openSession(5), phase };
    const gate = phaseGate(() => session);
    for (const [action, write] of Object.entries(WRITES) as [ParticipantAction, Partial<Write>][]) {
      const refused = gate({ boardId: 'b', privateOwner: null, writer: participant, writes: [{ op: 'insert', ...write } as Write] });
      expect({ action, refused: refused !== null }).toEqual({ action, refused: !PHASE_ALLOWS[phase].includes(action) });
    }
    expect(votingOpen(session)).toBe(PHASE_ALLOWS[phase].includes('vote'));
    expect(votingOpen({ ...session, locked: true })).toBe(false);
  });
});
