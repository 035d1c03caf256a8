import { WorkshopWatchPayload } from '../../schemas/events.ts';
import { controlError } from '../control-errors.ts';
import { joiningState } from '../joining-state.ts';
import { facilitatorsRoom, handle, holdRoom, type HandlerContext } from '../socket-types.ts';

/**
 * `workshop:watch`: the facilitator's control room. The socket keeps every board of the workshop
 * loaded and receives their session states and live figures.
 */
export function onWorkshopWatch(ctx: HandlerContext) {
  const { app, socket } = ctx;
  const { identity } = socket.data;
  socket.on(
    'workshop:watch',
    handle(ctx, async (payload, ack) => {
      if (identity.role !== 'facilitator') return ack({ ok: false, error: controlError('FACILITATOR_ONLY') });
      if (!WorkshopWatchPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
      const workshop = await app.workshops.byId(identity.workshopId);
      const boards = workshop ? ((await app.workshops.byCode(workshop.code))?.boards ?? []) : [];
      void socket.join(facilitatorsRoom(identity.workshopId));
      const rooms = await Promise.all(boards.map((b) => holdRoom(ctx, b.id)));
      ack({
        ok: true,
        states: boards.map((b) => app.sessionState(b.id)),
        stats: await Promise.all(rooms.map((room) => app.liveStats(room))),
        joining: await joiningState(app, identity.workshopId)
      });
    })
  );
}
