import type { FastifyInstance } from 'fastify';
import { facilitatorId } from '../auth/tokens.ts';
import { CloseCode } from '../errors.ts';

/**
 * Closes every socket, on both planes, opened with a facilitator token of the workshop: called
 * when the token was rotated, so all of them hold the revoked one. Returns how many were closed.
 */
export function closeFacilitatorSockets(app: FastifyInstance, workshopId: string): number {
  const id = facilitatorId(workshopId);
  let closed = 0;
  for (const socket of app.io.of('/').sockets.values()) {
    if (socket.data.identity?.id !== id) continue;
    socket.disconnect(true);
    closed++;
  }
  for (const room of app.rooms.all()) {
    for (const connection of [...room.connections]) {
      if (connection.identity.id !== id) continue;
      connection.close(CloseCode.Unauthorized, 'facilitator token rotated');
      closed++;
    }
  }
  return closed;
}
