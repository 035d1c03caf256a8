import { boardAccess } from '../../auth/board-access.ts';
import { BoardJoinPayload } from '../../schemas/events.ts';
import { ensureParticipantListed } from '../../sync/participants.ts';
import { controlError } from '../control-errors.ts';
import { ballotsHidden } from '../../sessions/session-state.ts';
import { ownBallots } from '../../sessions/vote-rounds.ts';
import { boardRoom, handle, holdRoom, voterRoom, type HandlerContext } from '../socket-types.ts';
import { dotsUsed } from '../votes.ts';

/**
 * `board:join`: enter a board's room; the ack carries its session state, the vote allowance (in a
 * blind round with the participant's own dots, which the board doc does not hold) and the team name.
 */
export function onBoardJoin(ctx: HandlerContext) {
  const { app, socket } = ctx;
  const { identity } = socket.data;
  socket.on(
    'board:join',
    handle(ctx, async (payload, ack) => {
      if (!BoardJoinPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
      const access = await boardAccess(app.workshops, identity, payload.boardId);
      if (!access.ok) return ack({ ok: false, error: controlError(access.refusal) });
      const { board } = access;
      const room = await holdRoom(ctx, board.id);
      ensureParticipantListed(room, identity);
      void socket.join(boardRoom(board.id));
      const state = app.sessionState(board.id);
      // Facilitators do not vote: their allowance is zero.
      if (identity.role !== 'participant') return ack({ ok: true, state, votes: { budget: 0, remaining: 0 }, teamName: board.teamName });
      void socket.join(voterRoom(board.id, identity.id));
      const budget = state.voteBudget;
      if (ballotsHidden(state.round)) {
        const mine = await ownBallots(app.votes, room.doc, board.id, identity.id);
        const used = [...mine.values()].reduce((n, d) => n + d, 0);
        return ack({ ok: true, state, votes: { budget, remaining: Math.max(0, budget - used), mine: Object.fromEntries(mine) }, teamName: board.teamName });
      }
      ack({ ok: true, state, votes: { budget, remaining: Math.max(0, budget - dotsUsed(room.doc, identity.id)) }, teamName: board.teamName });
    })
  );
}
