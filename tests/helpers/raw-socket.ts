import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { MessageType, SyncType } from '../../server/src/sync/protocol.ts';

/** One awareness entry as it travels (y-protocols/awareness wire format). */
export interface PresenceEntry {
  client: number;
  clock: number;
  /** The parsed JSON state; null removes the client's presence. */
  state: unknown;
}

/**
 * A bare WebSocket on `/yjs/<docId>` that sends whatever bytes a test makes, as a hostile client
 * would, and records what the server sends back.
 */
export interface RawSocket {
  ws: WebSocket;
  /** Binary messages received so far. */
  received: Uint8Array[];
  opened: Promise<void>;
  /** Resolves with the close code once the socket closed. */
  closed: Promise<number>;
  /** Sends unless the socket is closed (a closed socket cannot fail a flood loop). */
  send(data: Uint8Array): void;
  /** Awareness entries received so far, in order. */
  presence(): PresenceEntry[];
}

export function openRaw(wsUrl: string, docId: string, token: string): RawSocket {
  const ws = new WebSocket(`${wsUrl}/yjs/${docId}?token=${encodeURIComponent(token)}`);
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', (code) => reject(new Error(`closed before opening: ${code}`)));
  });
  opened.catch(() => undefined);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return {
    ws,
    received,
    opened,
    closed,
    send(data) {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    presence: () => received.flatMap((m) => readPresence(m) ?? [])
  };
}

/** A y-websocket awareness message carrying these entries (states as JSON, or raw strings). */
export function presenceMessage(entries: { client: number; clock: number; state: unknown; raw?: string }[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(update, e.client);
    encoding.writeVarUint(update, e.clock);
    encoding.writeVarString(update, e.raw ?? JSON.stringify(e.state));
  }
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, MessageType.Awareness);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return encoding.toUint8Array(message);
}

/** The entries of an awareness message, or null for any other message. */
export function readPresence(message: Uint8Array): PresenceEntry[] | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MessageType.Awareness) return null;
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const entries: PresenceEntry[] = [];
  const count = decoding.readVarUint(update);
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(update);
    const clock = decoding.readVarUint(update);
    entries.push({ client, clock, state: JSON.parse(decoding.readVarString(update)) });
  }
  return entries;
}

/** A sync message (step 1, step 2 or update) around `payload`. */
export function syncMessage(type: (typeof SyncType)[keyof typeof SyncType], payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** The sync sub-type and payload of a sync message, or null for any other message. */
export function readSync(message: Uint8Array): { type: number; payload: Uint8Array } | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MessageType.Sync) return null;
  const type = decoding.readVarUint(decoder);
  return { type, payload: decoding.readVarUint8Array(decoder) };
}
