import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Identity } from '../auth/identity.ts';
import { MAX_PRESENCE_ENTRIES_PER_MESSAGE, MAX_PRESENCE_STATE_BYTES } from './limits.ts';

const utf8 = new TextDecoder();

/**
 * Re-encodes an awareness update so that it only speaks for clientIDs the sender may claim and
 * carries the sender's real identity in `user` (presence cannot be spoofed). A message with more
 * entries than a connection may speak for is dropped whole, a state over the byte bound is
 * dropped, and `afford` (the connection's presence budget) is charged for every state relayed;
 * removals (null) are never charged. Returns null when nothing is left or the update is malformed.
 */
export function sanitizeAwarenessUpdate(
  update: Uint8Array,
  identity: Identity,
  claim: (clientId: number) => boolean,
  afford: (bytes: number) => boolean
): Uint8Array | null {
  const kept: { client: number; clock: number; json: string }[] = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_PRESENCE_ENTRIES_PER_MESSAGE) return null;
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const bytes = decoding.readVarUint8Array(decoder);
      if (bytes.byteLength > MAX_PRESENCE_STATE_BYTES) continue;
      const state: unknown = JSON.parse(utf8.decode(bytes));
      if (state === null) {
        if (claim(client)) kept.push({ client, clock, json: 'null' });
        continue;
      }
      if (typeof state !== 'object' || Array.isArray(state)) continue;
      const user = { id: identity.id, name: identity.name, sector: identity.sector, role: identity.role };
      const json = JSON.stringify({ ...state, user });
      if (claim(client) && afford(Buffer.byteLength(json))) kept.push({ client, clock, json });
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
