import type { Identity } from '../auth/identity.ts';
import { CloseCode } from '../errors.ts';
import { Throttle } from './extensions/throttle.ts';
import { encodePermissionDenied, encodeSyncStep2, parseMessage, ProtocolError } from './protocol.ts';
import type { Room } from './room.ts';
import type { Log, SyncSocket } from './types.ts';
import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwareness } from './protocol.ts';

export const ConnectionState = { Open: 'open', Closed: 'closed' } as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** One y-websocket client on one board. */
export class Connection {
  /** Awareness clientIDs this connection speaks for; removed from presence when it closes. */
  readonly awarenessIds = new Set<number>();
  private state: ConnectionState = ConnectionState.Open;
  private readonly throttle: Throttle;

  constructor(
    private readonly socket: SyncSocket,
    readonly identity: Identity,
    private readonly room: Room,
    private readonly log: Log,
    limits: { messagesPerSecond: number; messageBurst: number }
  ) {
    this.throttle = new Throttle(limits.messagesPerSecond, limits.messageBurst);
    room.join(this);
  }

  send(data: Uint8Array): void {
    if (this.state === ConnectionState.Open) this.socket.send(data);
  }

  receive(data: Uint8Array): void {
    if (this.state !== ConnectionState.Open) return;
    if (!this.throttle.take()) {
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
        let reply: Uint8Array;
        // What this client is about to see must be stored first. If that failed, the room now
        // holds what the disk holds (and closed the senders of what was lost): answer from it.
        this.room.flush();
        if (this.state !== ConnectionState.Open || this.room.isClosed) return;
        try {
          reply = encodeSyncStep2(this.room.doc, message.stateVector);
        } catch {
          this.close(CloseCode.BadRequest, 'malformed state vector');
          return;
        }
        this.send(reply);
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
