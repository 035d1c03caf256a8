import { BoardJoinPayload } from '../../schemas/events.ts';
import { ensureParticipantListed } from '../../sync/participants.ts';
import { controlError } from '../control-errors.ts';
import { boardRoom, handle, holdRoom, type HandlerContext } from '../socket-types.ts';
import { dotsUsed } from '../votes.ts';

/** `board:join`: enter a board's room; the ack carries its session state, the vote allowance and the team name. */
export function onBoardJoin(ctx: HandlerContext) {
  const { app, socket } = ctx;
  const { identity } = socket.data;
  socket.on(
    'board:join',
    handle(ctx, (payload, ack) => {
      if (!BoardJoinPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
      const board = app.workshops.board(payload.boardId);
      if (!board) return ack({ ok: false, error: controlError('BOARD_NOT_FOUND') });
      if (board.workshopId !== identity.workshopId) return ack({ ok: false, error: controlError('FORBIDDEN') });
      const room = holdRoom(ctx, board.id);
      ensureParticipantListed(room, identity);
      void socket.join(boardRoom(board.id));
      const state = app.sessionState(board.id);
      // Facilitators do not vote: their allowance is zero.
      const budget = identity.role === 'participant' ? state.voteBudget : 0;
      const used = identity.role === 'participant' ? dotsUsed(room.doc, identity.id) : 0;
      ack({ ok: true, state, votes: { budget, remaining: Math.max(0, budget - used) }, teamName: board.teamName });
    })
  );
}
