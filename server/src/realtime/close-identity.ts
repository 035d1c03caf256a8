import type { FastifyInstance } from 'fastify';
import { CloseCode } from '../errors.ts';
import type { Rooms } from '../sync/rooms.ts';
import { identityRoom, type ControlServer } from './socket-types.ts';

/** Closes this process's content-plane connections opened with `identityId`; answers how many. */
export function closeContentConnections(rooms: Rooms, identityId: string, reason: string): number {
  let closed = 0;
  for (const room of rooms.all()) {
    for (const connection of [...room.connections]) {
      if (connection.identity.id !== identityId) continue;
      connection.close(CloseCode.Unauthorized, reason);
      closed++;
    }
  }
  return closed;
}

/**
 * Closes every socket opened with `identityId`, on both planes and on every process: Socket.io's
 * through its room (the Redis adapter carries it to the other processes), the content plane's
 * here and, with Redis, on the others by a server-side event. `notice` is emitted to the control
 * sockets first, so the person reads why before their board closes.
 */
export function closeIdentityEverywhere(
  app: FastifyInstance,
  io: ControlServer,
  identityId: string,
  reason: string,
  notice?: (io: ControlServer) => void
): void {
  notice?.(io);
  io.in(identityRoom(identityId)).disconnectSockets(true);
  closeContentConnections(app.rooms, identityId, reason);
  if (app.redis) io.serverSideEmit('minga:close-identity', identityId, reason);
}
