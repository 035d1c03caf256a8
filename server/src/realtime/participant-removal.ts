import { CloseCode } from '../errors.ts';
import type { HandlerContext } from './socket-types.ts';

/**
 * Removes a participant from a workshop: their token stops working at once (the identity check
 * reads `removed_at`), and every socket they have open, on either plane, is closed.
 */
export async function removeParticipant({ app, io, log }: HandlerContext, workshopId: string, participantId: string): Promise<boolean> {
  if (!(await app.workshops.removeParticipant(workshopId, participantId))) return false;
  for (const socket of io.of('/').sockets.values()) {
    if (socket.data.identity?.id !== participantId) continue;
    socket.emit('participant:removed', {
      message: 'La facilitación te retiró de este taller.',
      messageEn: 'The facilitator removed you from this workshop.'
    });
    socket.disconnect(true);
  }
  // After the notice above, so the person reads why before their board closes.
  for (const room of app.rooms.all()) {
    for (const connection of [...room.connections]) {
      if (connection.identity.id === participantId) connection.close(CloseCode.Unauthorized, 'participant removed');
    }
  }
  log.info({ workshopId, participantId }, 'participant removed');
  return true;
}
