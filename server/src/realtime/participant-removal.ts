import { closeIdentityEverywhere } from './close-identity.ts';
import { identityRoom, type HandlerContext } from './socket-types.ts';

/**
 * Removes a participant from a workshop: their token stops working at once (the identity check
 * reads `removed_at`), and every socket they have open, on either plane and on every process, is
 * closed.
 */
export async function removeParticipant({ app, io, log }: HandlerContext, workshopId: string, participantId: string): Promise<boolean> {
  if (!(await app.workshops.removeParticipant(workshopId, participantId))) return false;
  closeIdentityEverywhere(app, io, participantId, 'participant removed', (server) =>
    server.in(identityRoom(participantId)).emit('participant:removed', {
      message: 'La facilitación te retiró de este taller.',
      messageEn: 'The facilitator removed you from this workshop.'
    })
  );
  log.info({ workshopId, participantId }, 'participant removed');
  return true;
}
