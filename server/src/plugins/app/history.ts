import fp from 'fastify-plugin';
import { BoardHistory } from '../../history/board-history.ts';
import type { Log } from '../../sync/types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    history: BoardHistory;
  }
}

/** Board checkpoints: at each phase change, after 10 minutes of activity; restored by facilitators. */
export default fp(
  async (app) => {
    const log = (app.log as unknown as Log).child({ task: 'history' });
    const history = new BoardHistory(app.checkpoints, app.rooms, (boardId) => app.sessions.get(boardId).phase, log, {
      track: app.track,
      roundStartedAt: (boardId) => app.sessions.get(boardId).round.startedAt
    });
    app.decorate('history', history);
    app.onSessionChange((boardId, record) => {
      // A missed checkpoint must not fail the command that changed the phase.
      history.sessionChanged(boardId, record.phase).catch((err: unknown) => log.error({ err, boardId }, 'checkpoint failed'));
    });
    app.rooms.onStored((room) => history.stored(room));
    app.addHook('preClose', async () => history.stop());
  },
  { name: 'history', dependencies: ['domain', 'sync', 'sessions', 'diagnostics'] }
);
