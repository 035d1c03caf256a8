import { WorkshopWatchPayload } from '../../schemas/events.ts';
import { controlError } from '../control-errors.ts';
import { handle, resultsRoom, resultsWaitingRoom, type HandlerContext } from '../socket-types.ts';

/**
 * `results:watch`: the socket hears `results:changed` for its workshop. Participants only while
 * the results are published (before, they hear only the publication); when a facilitator
 * unpublishes them, their sockets leave the room.
 */
export function onResultsWatch(ctx: HandlerContext) {
  const { app, socket } = ctx;
  const { identity } = socket.data;
  socket.on(
    'results:watch',
    handle(ctx, async (payload, ack) => {
      if (!WorkshopWatchPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
      const publishedAt = (await app.workshops.byId(identity.workshopId))?.resultsPublishedAt ?? null;
      if (identity.role !== 'facilitator' && publishedAt === null) {
        // Refused, but told (results:changed) the moment the facilitator publishes.
        void socket.join(resultsWaitingRoom(identity.workshopId));
        return ack({ ok: false, error: controlError('RESULTS_NOT_PUBLISHED') });
      }
      void socket.join(resultsRoom(identity.workshopId));
      ack({ ok: true, publishedAt });
    })
  );
}
