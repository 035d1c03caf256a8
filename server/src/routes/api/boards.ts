import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../errors.ts';
import { boardCaller } from '../../plugins/app/board-routes.ts';
import { boardRoom } from '../../realtime/socket-types.ts';
import { BoardParams, BoardView, TeamBody } from '../../schemas/boards.ts';
import { errorResponses } from '../../schemas/common.ts';

const BOARD = { es: 'ese tablero', en: 'Board' };

const boards: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/boards/:boardId', { schema: { params: BoardParams, response: { 200: BoardView, ...errorResponses(404) } } }, async (req) => {
    const board = await app.workshops.board(req.params.boardId);
    if (!board) throw notFound(BOARD);
    const [workshop, challenge] = await Promise.all([app.workshops.byId(board.workshopId), app.challenges.get(board.challengeId)]);
    return {
      id: board.id,
      url: `/tablero/${board.id}`,
      teamName: board.teamName,
      workshop: { code: workshop!.code, title: workshop!.title },
      challenge: challenge!
    };
  });

  app.put(
    '/boards/:boardId/team',
    { config: { boardAccess: 'facilitator' }, schema: { params: BoardParams, body: TeamBody, response: { 200: TeamBody, ...errorResponses(400, 401, 403, 404) } } },
    async (req) => {
      const { board } = boardCaller(req);
      const teamName = req.body.teamName?.trim() || null;
      await app.workshops.setTeamName(board.id, teamName);
      app.io.to(boardRoom(board.id)).emit('board:team', { boardId: board.id, teamName });
      return { teamName };
    }
  );
};
export default boards;
