import * as Y from 'yjs';
import type { Identity } from '../auth/identity.ts';
import type { Room } from '../sync/room.ts';
import { controlError, type ControlError } from './control-errors.ts';

export const voteKey = (targetId: string, participantId: string) => `${targetId}|${participantId}`;

const targetOf = (key: string) => key.slice(0, key.lastIndexOf('|'));
const voterOf = (key: string) => key.slice(key.lastIndexOf('|') + 1);

export function targetExists(doc: Y.Doc, targetId: string): boolean {
  return doc.getMap('ideas').has(targetId) || doc.getMap('clusters').has(targetId);
}

/** Dots this participant has on targets that still exist (votes on deleted ideas are returned). */
export function dotsUsed(doc: Y.Doc, participantId: string): number {
  let used = 0;
  for (const [key, dots] of doc.getMap<number>('votes')) {
    if (voterOf(key) === participantId && targetExists(doc, targetOf(key))) used += dots;
  }
  return used;
}

/**
 * Adds or withdraws one dot, within the participant's budget; the server writes the `votes` map
 * itself (participants never do). Also drops the voter's stale entries on deleted targets.
 */
export async function castVote(
  room: Room,
  voter: Identity,
  targetId: string,
  delta: 1 | -1,
  budget: number
): Promise<{ ok: true; remaining: number } | { ok: false; error: ControlError }> {
  if (voter.role !== 'participant') return { ok: false, error: controlError('VOTE_PARTICIPANTS_ONLY') };
  const { doc } = room;
  if (!targetExists(doc, targetId)) return { ok: false, error: controlError('TARGET_NOT_FOUND') };
  const votes = doc.getMap<number>('votes');
  const key = voteKey(targetId, voter.id);
  const current = votes.get(key) ?? 0;
  const used = dotsUsed(doc, voter.id);
  if (delta === 1 && used >= budget) return { ok: false, error: controlError('NO_DOTS_LEFT') };
  if (delta === -1 && current === 0) return { ok: false, error: controlError('NO_DOT_TO_WITHDRAW') };
  const failed = await room.serverWrite('vote', () => {
    for (const k of [...votes.keys()]) {
      if (voterOf(k) === voter.id && !targetExists(doc, targetOf(k))) votes.delete(k);
    }
    if (current + delta === 0) votes.delete(key);
    else votes.set(key, current + delta);
  });
  if (failed) return { ok: false, error: controlError('STORAGE_FAILED') };
  return { ok: true, remaining: budget - used - delta };
}
