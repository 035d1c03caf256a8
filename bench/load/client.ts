import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import type { Protocol } from '../servers/types.ts';

/**
 * One participant's socket, speaking the sync protocol by hand: y-websocket (sync + awareness, as
 * `WebsocketProvider` does), Hocuspocus' framing (document name first, then an auth token, as
 * `HocuspocusProvider` does) or raw relay frames. It keeps no Y.Doc of its own: a simulated
 * participant that applied every update to its own doc would cost the generator ~55 µs per
 * update per client, so the worker keeps one copy per board and this client only reads frames.
 */

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
// Other types (awareness from others, Hocuspocus' sync status 8, query-awareness 3) are counted, not read.
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
const HOCUSPOCUS_AUTH_TOKEN = 0;
const HOCUSPOCUS_PERMISSION_DENIED = 1;
/** y-protocols auth. */
const PERMISSION_DENIED = 0;

const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const EMPTY_UPDATE = new Uint8Array([0, 0]);

export interface SyncClientHandlers {
  /** A broadcast update. `frame` is the whole message (cheap to scan); `update()` extracts the Yjs update. */
  onUpdate?(frame: Buffer, update: () => Uint8Array): void;
  /** The server's answer to our sync step 1: the whole board. */
  onSyncStep2?(update: Uint8Array): void;
  onDenied?(reason: string): void;
  onClose?(code: number, reason: string): void;
}

export class SyncClient {
  private readonly ws: WebSocket;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  /** Resolves once the board is synced (relay: once open). Rejects if the socket closes first. */
  readonly synced: Promise<void>;
  private open = false;

  constructor(
    readonly protocol: Protocol,
    url: string,
    private readonly docName: string,
    private readonly handlers: SyncClientHandlers = {}
  ) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    let resolveSynced!: () => void;
    let rejectSynced!: (err: Error) => void;
    this.synced = new Promise<void>((resolve, reject) => {
      resolveSynced = resolve;
      rejectSynced = reject;
    });
    this.synced.catch(() => {});
    this.markSynced = resolveSynced;
    this.ws.on('open', () => {
      this.open = true;
      if (protocol === 'relay') return resolveSynced();
      if (protocol === 'hocuspocus') {
        this.send((e) => {
          encoding.writeVarUint(e, MESSAGE_AUTH);
          encoding.writeVarUint(e, HOCUSPOCUS_AUTH_TOKEN);
          encoding.writeVarString(e, '');
        });
      }
      this.send((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        encoding.writeVarUint(e, SYNC_STEP1);
        encoding.writeVarUint8Array(e, EMPTY_STATE_VECTOR);
      });
    });
    this.ws.on('message', (data: Buffer) => this.receive(data));
    this.ws.on('error', () => {}); // a 'close' follows
    this.ws.on('close', (code, reason) => {
      this.open = false;
      rejectSynced(new Error(`closed before sync: ${code} ${reason.toString()}`));
      handlers.onClose?.(code, reason.toString());
    });
  }

  private markSynced: () => void;

  get isOpen(): boolean {
    return this.open;
  }

  sendUpdate(update: Uint8Array): void {
    this.send((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC);
      encoding.writeVarUint(e, SYNC_UPDATE);
      encoding.writeVarUint8Array(e, update);
    });
  }

  /** `update` as made by `encodeAwarenessState`. */
  sendAwareness(update: Uint8Array): void {
    this.send((e) => {
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(e, update);
    });
  }

  close(): void {
    this.open = false;
    this.ws.terminate();
  }

  private send(write: (e: encoding.Encoder) => void): void {
    if (!this.open) return;
    const e = encoding.createEncoder();
    if (this.protocol === 'hocuspocus') encoding.writeVarString(e, this.docName);
    write(e);
    const bytes = encoding.toUint8Array(e);
    this.bytesOut += bytes.byteLength;
    this.ws.send(bytes);
  }

  private receive(frame: Buffer): void {
    this.bytesIn += frame.byteLength;
    this.messagesIn++;
    const d = decoding.createDecoder(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
    if (this.protocol === 'hocuspocus') decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === MESSAGE_SYNC) {
      const sub = decoding.readVarUint(d);
      if (sub === SYNC_UPDATE) {
        this.handlers.onUpdate?.(frame, () => decoding.readVarUint8Array(d));
      } else if (sub === SYNC_STEP2) {
        const update = decoding.readVarUint8Array(d);
        if (this.protocol === 'relay') this.handlers.onUpdate?.(frame, () => update);
        else {
          this.handlers.onSyncStep2?.(update);
          this.markSynced();
        }
      } else if (sub === SYNC_STEP1 && this.protocol !== 'relay') {
        // We hold nothing the server lacks: answer with an empty step 2, as a fresh provider does.
        this.send((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          encoding.writeVarUint(e, SYNC_STEP2);
          encoding.writeVarUint8Array(e, EMPTY_UPDATE);
        });
      }
    } else if (type === MESSAGE_AUTH) {
      const sub = decoding.readVarUint(d);
      const denied = this.protocol === 'hocuspocus' ? sub === HOCUSPOCUS_PERMISSION_DENIED : sub === PERMISSION_DENIED;
      if (denied) this.handlers.onDenied?.(decoding.readVarString(d));
    }
  }
}

/** One awareness update for one client (y-protocols/awareness wire format). */
export function encodeAwarenessState(clientId: number, clock: number, state: object | null): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, clock);
  encoding.writeVarString(e, JSON.stringify(state));
  return encoding.toUint8Array(e);
}
