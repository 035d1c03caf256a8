import type { Identity } from '../auth/identity.ts';
import { CloseCode } from '../errors.ts';
import { Throttle, type Budget } from './extensions/throttle.ts';
import { encodePermissionDenied, parseMessage, ProtocolError } from './protocol.ts';
import type { Room } from './room.ts';
import type { Log, SyncSocket } from './types.ts';
import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwareness } from './protocol.ts';
import { PRESENCE_BURST_BYTES, PRESENCE_BYTES_PER_SECOND, SYNC_STEP1_BURST, SYNC_STEP1_INTERVAL_MS } from './limits.ts';

export const ConnectionState = { Open: 'open', Closed: 'closed' } as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** One y-websocket client on one board. */
export class Connection {
  /** Awareness clientIDs this connection speaks for; removed from presence when it closes. */
  readonly awarenessIds = new Set<number>();
  /** Bytes of presence this connection may still have relayed (limits.ts). */
  readonly presenceBudget = new Throttle(PRESENCE_BYTES_PER_SECOND, PRESENCE_BURST_BYTES);
  /** Sync step 1 requests (each answered with up to the whole board) this connection may still make. */
  private readonly syncRequests = new Throttle(1000 / SYNC_STEP1_INTERVAL_MS, SYNC_STEP1_BURST);
  private state: ConnectionState = ConnectionState.Open;

  constructor(
    private readonly socket: SyncSocket,
    readonly identity: Identity,
    private readonly room: Room,
    private readonly log: Log,
    /** Shared with the sender's other sockets, and kept when they reconnect. */
    private readonly budget: Budget
  ) {
    room.join(this);
  }

  send(data: Uint8Array): void {
    if (this.state === ConnectionState.Open) this.socket.send(data);
  }

  receive(data: Uint8Array): void {
    if (this.state !== ConnectionState.Open) return;
    if (!this.budget.take()) {
      this.log.warn({ reason: 'rate limited' }, 'connection closed');
      this.close(CloseCode.RateLimited, 'too many messages');
      return;
    }
    let message;
    try {
      message = parseMessage(data);
    } catch (err) {
      this.log.warn({ reason: (err as ProtocolError).message }, 'malformed message');
      this.close(CloseCode.BadRequest, 'malformed message');
      return;
    }
    switch (message.type) {
      case 'sync-step1': {
        if (!this.syncRequests.take() || !this.room.allowSyncRequest(this.identity.id)) {
          this.log.warn({ reason: 'too many sync requests' }, 'connection closed');
          this.close(CloseCode.RateLimited, 'too many sync requests');
          return;
        }
        // What this client is about to see must be stored first. If that failed, the room now
        // holds what the disk holds (and closed the senders of what was lost): answer from it.
        this.replySync(message.stateVector);
        return;
      }
      case 'sync-update': {
        const refused = this.room.receiveUpdate(this, message.update);
        if (refused) {
          this.log.warn({ code: refused.code, detail: refused.detail, bytes: message.update.byteLength }, 'update refused');
          const { code, message: es, messageEn } = refused;
          this.send(encodePermissionDenied(JSON.stringify({ code, message: es, messageEn })));
        }
        return;
      }
      case 'awareness':
        this.room.receiveAwareness(this, message.update);
        return;
      case 'query-awareness': {
        const ids = [...this.room.awareness.getStates().keys()];
        if (ids.length > 0) this.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, ids)));
        return;
      }
      case 'ignored':
        return;
    }
  }

  /** Sync step 2 for the client's state vector, from a doc that holds exactly what is stored. */
  private replySync(stateVector: Uint8Array): void {
    if (this.state !== ConnectionState.Open || this.room.isClosed) return;
    // Something was accepted since: it must be stored before this reply may show it.
    if (!this.room.idle) return void this.room.whenStored().then(() => this.replySync(stateVector));
    const reply = this.room.syncReply(stateVector);
    if (!reply) this.close(CloseCode.BadRequest, 'malformed state vector');
    else for (const m of reply) this.send(m);
  }

  close(code: number, reason: string): void {
    if (this.state === ConnectionState.Closed) return;
    this.state = ConnectionState.Closed;
    this.room.leave(this);
    this.socket.close(code, reason);
  }

  /** The socket went away on its own. */
  closed(): void {
    if (this.state === ConnectionState.Closed) return;
    this.state = ConnectionState.Closed;
    this.room.leave(this);
  }
}
