import { boardAccess } from '../../auth/board-access.ts';
import { removeHiddenIdea, setIdeaHidden } from '../../sessions/hidden-ideas.ts';
import { removeIdea, revealPrivateIdeas } from '../../sessions/moderation.ts';
import { toPublicState } from '../../sessions/session-state.ts';
import { SessionCommandPayload } from '../../schemas/events.ts';
import { controlError, type ControlErrorCode } from '../control-errors.ts';
import type { SessionCommand } from '../events.ts';
import { handle, holdRoom, type HandlerContext } from '../socket-types.ts';
import { removeParticipant } from '../participant-removal.ts';

/**
 * `session:command`: facilitators run the session. Validated by schema and role; the ack is
 * `{ ok: true, state }` or `{ ok: false, error }`; every change is broadcast by the sessions plugin.
 */
export function onSessionCommand(ctx: HandlerContext) {
  const { app, socket, log } = ctx;
  const { identity } = socket.data;
  socket.on(
    'session:command',
    handle(ctx, async (payload, ack) => {
      const refuse = (code: ControlErrorCode) => ack({ ok: false, error: controlError(code) });
      if (identity.role !== 'facilitator') return refuse('FACILITATOR_ONLY');
      if (!SessionCommandPayload.Check(payload)) return refuse('INVALID_PAYLOAD');
      const cmd = payload as SessionCommand;
      const access = await boardAccess(app.workshops, identity, cmd.boardId, 'facilitator');
      if (!access.ok) return refuse(access.refusal);
      const { board } = access;
      const session = app.sessions.get(board.id);

      switch (cmd.action) {
        case 'focus':
          if (cmd.questionId !== null && !(await app.challenges.get(board.challengeId))?.questions.some((q) => q.id === cmd.questionId)) {
            return refuse('QUESTION_NOT_FOUND');
          }
          break;
        case 'remove':
          if ('ideaId' in cmd) {
            const removed =
              (await removeIdea(await holdRoom(ctx, board.id), cmd.ideaId)) || (await removeHiddenIdea(app.rooms, app.boardStorage, board.id, cmd.ideaId));
            if (!removed) return refuse('IDEA_NOT_FOUND');
          } else if (!(await removeParticipant(ctx, board.workshopId, cmd.participantId))) {
            return refuse('PARTICIPANT_NOT_FOUND');
          }
          break;
        case 'hide':
          if (!(await setIdeaHidden(app.rooms, app.boardStorage, board.id, cmd.ideaId, cmd.hidden, session.voteBudget))) return refuse('IDEA_NOT_FOUND');
          break;
        case 'reveal':
          await revealPrivateIdeas(app.rooms, app.boardStorage, board.id);
          break;
        case 'next':
        case 'end':
          // Leaving private ideation brings the private ideas onto the board first.
          if (session.phase === 'ideacion' && session.privateIdeation) await revealPrivateIdeas(app.rooms, app.boardStorage, board.id);
          break;
      }

      const result = await app.sessions.command(board.id, cmd);
      if (!result.ok) return ack({ ok: false, error: result.error });
      log.info({ boardId: board.id, action: cmd.action, phase: result.record.phase, status: result.record.status }, 'session command');
      const state = toPublicState(board.id, result.record, Date.now());
      ack(result.undoToken ? { ok: true, state, undoToken: result.undoToken } : { ok: true, state });
    })
  );
}
