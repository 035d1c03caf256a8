import { VoteCastPayload } from '../../schemas/events.ts';
import { votingOpen } from '../../sessions/session-state.ts';
import { controlError } from '../control-errors.ts';
import { handle, holdRoom, type HandlerContext } from '../socket-types.ts';
import { castVote } from '../votes.ts';

/** `vote:cast`: one dot more or less, within the budget, while the phase allows voting. */
export function onVoteCast(ctx: HandlerContext) {
  const { app, socket, log } = ctx;
  const { identity } = socket.data;
  socket.on(
    'vote:cast',
    handle(ctx, (payload, ack) => {
      if (!VoteCastPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
      if (!socket.data.rooms.has(payload.boardId)) return ack({ ok: false, error: controlError('NOT_JOINED') });
      const session = app.sessions.get(payload.boardId);
      if (!votingOpen(session)) return ack({ ok: false, error: controlError(session.locked ? 'BOARD_LOCKED' : 'VOTING_CLOSED') });
      const room = holdRoom(ctx, payload.boardId);
      const result = castVote(room, identity, payload.targetId, payload.delta, session.voteBudget);
      if (!result.ok) log.info({ boardId: payload.boardId, code: result.error.code }, 'vote refused');
      else app.results.recordVote(payload.boardId, identity.id, payload.delta);
      ack(result);
    })
  );
}
