import type { FastifyInstance } from 'fastify';
import { facilitatorId } from '../auth/tokens.ts';
import { closeIdentityEverywhere } from './close-identity.ts';

/**
 * Closes every socket, on both planes and on every process, opened with a facilitator token of
 * the workshop: called when the token was rotated, so all of them hold the revoked one. Returns
 * how many this process closed.
 */
export function closeFacilitatorSockets(app: FastifyInstance, workshopId: string): number {
  const id = facilitatorId(workshopId);
  let here = 0;
  for (const socket of app.io.of('/').sockets.values()) if (socket.data.identity?.id === id) here++;
  for (const room of app.rooms.all()) for (const connection of room.connections) if (connection.identity.id === id) here++;
  closeIdentityEverywhere(app, app.io, id, 'facilitator token rotated');
  return here;
}
