import * as Y from 'yjs';
import { PROPOSAL_SECTIONS } from '../../../seed/proposal.ts';
import type { Room } from './room.ts';

/**
 * Gives a board its eight proposal sections as `Y.Text`s, written by the server when the board is
 * first loaded. If two people created a missing section at once, one of the two texts would lose
 * the overwrite, and with it what its author typed.
 */
export function ensureProposalSections(room: Room): void {
  if (room.privateOwner !== null || room.hidden) return;
  const proposal = room.doc.getMap('proposal');
  const missing = PROPOSAL_SECTIONS.filter((s) => !(proposal.get(s.key) instanceof Y.Text));
  if (missing.length === 0) return;
  void room.serverWrite('proposal sections', () => {
    for (const s of missing) if (!proposal.has(s.key)) proposal.set(s.key, new Y.Text());
  });
}
