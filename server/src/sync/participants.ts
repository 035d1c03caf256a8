import * as Y from 'yjs';
import type { Identity } from '../auth/identity.ts';
import type { Room } from './room.ts';

export interface ParticipantEntry {
  name: string;
  sector: string;
  comuna: string;
}

/** Writes the participant into the board's server-only `participants` map if missing or stale. */
export function ensureParticipantListed(room: Room, identity: Identity): void {
  if (identity.role !== 'participant') return;
  const participants = room.doc.getMap<ParticipantEntry>('participants');
  const current = participants.get(identity.id);
  const entry: ParticipantEntry = { name: identity.name, sector: identity.sector, comuna: identity.comuna };
  if (current && current.name === entry.name && current.sector === entry.sector && current.comuna === entry.comuna) return;
  void room.serverWrite('participant listed', (doc: Y.Doc) => doc.getMap('participants').set(identity.id, entry));
}
