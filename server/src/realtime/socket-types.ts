import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Server, Socket } from 'socket.io';
import type { Identity } from '../auth/identity.ts';
import type { Budget } from '../sync/extensions/throttle.ts';
import type { Room } from '../sync/room.ts';
import { errorInfo, MingaError } from '../errors.ts';
import { controlError } from './control-errors.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts';

export interface SocketData {
  identity: Identity;
  /** Rooms this socket keeps loaded (boards it joined or watches), released on disconnect. */
  rooms: Map<string, Room>;
  /** Shared with this participant's other sockets, and kept when they reconnect. */
  throttle: Budget;
}

/** What Minga processes tell each other through the Redis adapter (`io.serverSideEmit`). */
export interface InterServerEvents {
  /** Close every content-plane connection opened with this identity (the control plane's go through the adapter). */
  'minga:close-identity': (identityId: string, reason: string) => void;
  /** The board's session row changed: read it again (the change's broadcast already reached every process's clients). */
  'minga:session-changed': (boardId: string) => void;
}

export type ControlServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ControlSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What every event handler gets. */
export interface HandlerContext {
  app: FastifyInstance;
  io: ControlServer;
  socket: ControlSocket;
  log: FastifyBaseLogger;
}

export const boardRoom = (boardId: string) => `board:${boardId}`;
/** Every socket opened with one identity (participant or facilitator token), on every process. */
export const identityRoom = (identityId: string) => `identity:${identityId}`;
export const facilitatorsRoom = (workshopId: string) => `facilitators:${workshopId}`;
/** One participant's sockets on one board: where their own blind-round dots go. */
export const voterRoom = (boardId: string, participantId: string) => `voter:${boardId}:${participantId}`;
/** Sockets with the workshop's results page open (its facilitators; participants once published). */
export const resultsRoom = (workshopId: string) => `results:${workshopId}`;
/** Participants whose results page waits for the facilitator to publish. */
export const resultsWaitingRoom = (workshopId: string) => `results-waiting:${workshopId}`;

/** Loads a board's room for this socket (once) and keeps it until the socket leaves. */
export async function holdRoom({ app, socket }: HandlerContext, boardId: string): Promise<Room> {
  const held = socket.data.rooms.get(boardId);
  if (held && !held.isClosed) return held;
  const room = await app.rooms.acquire(boardId);
  // Meanwhile the socket may have left, or another event of it loaded the room first.
  const now = socket.data.rooms.get(boardId);
  if (socket.disconnected || (now && now !== held && !now.isClosed)) {
    app.rooms.release(room);
    if (socket.disconnected) throw new Error('socket left while its board loaded');
    return now!;
  }
  if (now) app.rooms.release(now);
  socket.data.rooms.set(boardId, room);
  return room;
}

type AnyAck = (answer: unknown) => void;

/**
 * Wraps an event handler: the ack must be a function, the socket within its rate, and the
 * handler's own throw becomes a 5xx-like error for the client, never a crash.
 */
export function handle<P>({ socket, log }: HandlerContext, run: (payload: P, ack: AnyAck) => void | Promise<void>) {
  return (payload: P, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as AnyAck;
    if (!socket.data.throttle.take()) return reply({ ok: false, error: controlError('RATE_LIMITED') });
    const failed = (err: unknown) => {
      // A board that cannot be loaded says so (the room logged why); anything else is a storage fault.
      if (err instanceof MingaError && err.code === 'BOARD_UNAVAILABLE') return reply({ ok: false, error: errorInfo(err) });
      log.error({ err }, 'control event failed');
      reply({ ok: false, error: controlError('STORAGE_FAILED') });
    };
    try {
      const done = run(payload, reply);
      if (done) done.catch(failed);
    } catch (err) {
      failed(err);
    }
  };
}
