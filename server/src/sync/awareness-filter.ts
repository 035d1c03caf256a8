import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Identity } from '../auth/identity.ts';

/** One presence state (cursor, focus…) may not exceed this (bytes of JSON). */
export const MAX_AWARENESS_STATE_BYTES = 4096;

/**
 * Re-encodes an awareness update so that it only speaks for clientIDs the sender may claim and
 * carries the sender's real identity in `user` (presence cannot be spoofed). Returns null when
 * nothing is left or the update is malformed.
 */
export function sanitizeAwarenessUpdate(
  update: Uint8Array,
  identity: Identity,
  claim: (clientId: number) => boolean
): Uint8Array | null {
  const kept: { client: number; clock: number; json: string }[] = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (json.length > MAX_AWARENESS_STATE_BYTES || !claim(client)) continue;
      const state: unknown = JSON.parse(json);
      if (state === null) {
        kept.push({ client, clock, json });
        continue;
      }
      if (typeof state !== 'object' || Array.isArray(state)) continue;
      const user = { id: identity.id, name: identity.name, sector: identity.sector, role: identity.role };
      kept.push({ client, clock, json: JSON.stringify({ ...state, user }) });
    }
  } catch {
    return null;
  }
  if (kept.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const { client, clock, json } of kept) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}
