import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * What Minga processes tell each other about a doc on its Redis channel, one binary message per
 * event. Every message names the process that sent it, so a process skips its own. Only Minga
 * processes publish here: the bytes come from a server's doc after its write rules, never from a
 * client (Redis sits inside the trust boundary, as the database does).
 */
export type FanoutMessage =
  /** A batch another process has committed to storage. */
  | { kind: 'stored'; sender: string; lastId: number; bindings: [number, string][]; update: Uint8Array }
  /** Presence of another process's clients, paced there. */
  | { kind: 'awareness'; sender: string; update: Uint8Array }
  /**
   * What another process's room holds, all of it stored: its state vector, and its delete set as an
   * update without structs (a deletion adds no clock). A process that lacks some of it catches up
   * from storage (healing).
   */
  | { kind: 'state-vector'; sender: string; stateVector: Uint8Array; deletes: Uint8Array };

const KIND = { stored: 0, awareness: 1, 'state-vector': 2 } as const;

export function encodeFanout(message: FanoutMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, KIND[message.kind]);
  encoding.writeVarString(e, message.sender);
  switch (message.kind) {
    case 'stored':
      encoding.writeVarUint(e, message.lastId);
      encoding.writeVarUint(e, message.bindings.length);
      for (const [client, owner] of message.bindings) {
        encoding.writeVarUint(e, client);
        encoding.writeVarString(e, owner);
      }
      encoding.writeVarUint8Array(e, message.update);
      break;
    case 'awareness':
      encoding.writeVarUint8Array(e, message.update);
      break;
    case 'state-vector':
      encoding.writeVarUint8Array(e, message.stateVector);
      encoding.writeVarUint8Array(e, message.deletes);
      break;
  }
  return encoding.toUint8Array(e);
}

/** The message, or null if it is not one (a newer or broken publisher: skipped, and healing covers it). */
export function decodeFanout(data: Uint8Array): FanoutMessage | null {
  try {
    const d = decoding.createDecoder(data);
    const kind = decoding.readVarUint(d);
    const sender = decoding.readVarString(d);
    switch (kind) {
      case KIND.stored: {
        const lastId = decoding.readVarUint(d);
        const count = decoding.readVarUint(d);
        const bindings: [number, string][] = [];
        for (let i = 0; i < count; i++) bindings.push([decoding.readVarUint(d), decoding.readVarString(d)]);
        return { kind: 'stored', sender, lastId, bindings, update: decoding.readVarUint8Array(d) };
      }
      case KIND.awareness:
        return { kind: 'awareness', sender, update: decoding.readVarUint8Array(d) };
      case KIND['state-vector']:
        return { kind: 'state-vector', sender, stateVector: decoding.readVarUint8Array(d), deletes: decoding.readVarUint8Array(d) };
      default:
        return null;
    }
  } catch {
    return null;
  }
}
