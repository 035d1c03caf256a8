import { boardAccess } from '../../auth/board-access.ts';
import { RoundsListPayload } from '../../schemas/events.ts';
import { controlError } from '../control-errors.ts';
import { handle, type HandlerContext } from '../socket-types.ts';

/** `rounds:list`: a board's closed voting rounds, for the facilitator's "Rondas anteriores". */
export function onRoundsList(ctx: HandlerContext) {
  const { app, socket } = ctx;
  const { identity } = socket.data;
  socket.on(
    'rounds:list',
    handle(ctx, async (payload, ack) => {
      if (identity.role !== 'facilitator') return ack({ ok: false, error: controlError('FACILITATOR_ONLY') });
      if (!RoundsListPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
      const access = await boardAccess(app.workshops, identity, payload.boardId);
      if (!access.ok) return ack({ ok: false, error: controlError(access.refusal) });
      const { board } = access;
      ack({ ok: true, rounds: await app.votes.rounds(board.id) });
    })
  );
}
