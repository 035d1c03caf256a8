import { VoteCastPayload } from '../../schemas/events.ts';
import { ballotsHidden, votingOpen, type SessionRecord } from '../../sessions/session-state.ts';
import { castBallot } from '../../sessions/vote-rounds.ts';
import { controlError } from '../control-errors.ts';
import { handle, holdRoom, voterRoom, type HandlerContext } from '../socket-types.ts';
import { castVote } from '../votes.ts';

/**
 * `vote:cast`: one dot more or less, within the budget, while the phase allows voting. In a blind
 * round the dot is kept off the board; the voter's sockets get their own dots, the control room
 * only the count.
 */
export function onVoteCast(ctx: HandlerContext) {
  const { app, socket, log } = ctx;
  const { identity } = socket.data;
  socket.on(
    'vote:cast',
    handle(ctx, async (payload, ack) => {
      if (!VoteCastPayload.Check(payload)) return ack({ ok: false, error: controlError('INVALID_PAYLOAD') });
      if (!socket.data.rooms.has(payload.boardId)) return ack({ ok: false, error: controlError('NOT_JOINED') });
      const session = app.sessions.get(payload.boardId);
      if (!votingOpen(session)) return ack({ ok: false, error: controlError(session.locked ? 'BOARD_LOCKED' : 'VOTING_CLOSED') });
      const room = await holdRoom(ctx, payload.boardId);
      if (ballotsHidden(session.round)) {
        const result = await castBallot(app.votes, room, identity, payload.targetId, payload.delta, session.voteBudget, session.round, () =>
          app.sessions.get(payload.boardId)
        );
        if (!result.ok) {
          log.info({ boardId: payload.boardId, code: result.error.code }, 'vote refused');
          return ack(result);
        }
        // When, not where: the results' timeline counts it as the control room's progress does.
        await app.results.recordVote(payload.boardId, identity.id, payload.delta);
        socket.to(voterRoom(payload.boardId, identity.id)).emit('votes:mine', { boardId: payload.boardId, remaining: result.remaining, mine: result.mine });
        app.boardStatsChanged(payload.boardId);
        return ack(result);
      }
      const cast = (now: SessionRecord) => {
        if (!votingOpen(now) || ballotsHidden(now.round)) return { ok: false as const, error: controlError(now.locked ? 'BOARD_LOCKED' : 'VOTING_CLOSED') };
        return castVote(room, identity, payload.targetId, payload.delta, now.voteBudget);
      };
      // Several processes: this participant's casts through any of them run one at a time, on the
      // stored session and a doc that holds the one before, never during a round change
      // (realtime/open-casts.ts).
      const queued = app.openCasts ? app.openCasts.run(room, payload.boardId, identity.id, cast) : cast(app.sessions.get(payload.boardId));
      if (!queued) return ack({ ok: false, error: controlError('RATE_LIMITED') });
      const result = await queued;
      if (!result.ok) log.info({ boardId: payload.boardId, code: result.error.code }, 'vote refused');
      else await app.results.recordVote(payload.boardId, identity.id, payload.delta);
      ack(result);
    })
  );
}
