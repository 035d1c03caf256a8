import { JoiningDecidePayload, JoiningSetPayload } from '../../schemas/events.ts';
import { controlError, type ControlErrorCode } from '../control-errors.ts';
import { announceJoining } from '../joining-state.ts';
import { handle, type HandlerContext } from '../socket-types.ts';

/**
 * `joining:set` and `joining:decide`: facilitators open, close or require approval to join their
 * workshop, and answer the people waiting. Every change reaches the workshop's control rooms.
 */
export function onJoining(ctx: HandlerContext) {
  const { app, socket, log } = ctx;
  const { identity } = socket.data;
  const refusal = (code: ControlErrorCode) => ({ ok: false as const, error: controlError(code) });

  socket.on(
    'joining:set',
    handle(ctx, async (payload, ack) => {
      if (identity.role !== 'facilitator') return ack(refusal('FACILITATOR_ONLY'));
      if (!JoiningSetPayload.Check(payload)) return ack(refusal('INVALID_PAYLOAD'));
      await app.joining.setPolicy(identity.workshopId, payload.policy);
      log.info({ workshopId: identity.workshopId, policy: payload.policy }, 'join policy set');
      ack({ ok: true, joining: await announceJoining(app, identity.workshopId) });
    })
  );

  socket.on(
    'joining:decide',
    handle(ctx, async (payload, ack) => {
      if (identity.role !== 'facilitator') return ack(refusal('FACILITATOR_ONLY'));
      if (!JoiningDecidePayload.Check(payload)) return ack(refusal('INVALID_PAYLOAD'));
      const decided = await app.joining.decide(identity.workshopId, payload.requestId, payload.approve);
      if (!decided) return ack(refusal('JOIN_REQUEST_NOT_FOUND'));
      log.info({ workshopId: identity.workshopId, requestId: payload.requestId, status: decided.request.status }, 'join request decided');
      ack({ ok: true, joining: await announceJoining(app, identity.workshopId) });
    })
  );
}
