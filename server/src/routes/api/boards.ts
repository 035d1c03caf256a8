import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../errors.ts';
import { BoardParams, BoardView } from '../../schemas/boards.ts';
import { errorResponses } from '../../schemas/common.ts';

const BOARD = { es: 'ese tablero', en: 'Board' };

const boards: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/boards/:boardId', { schema: { params: BoardParams, response: { 200: BoardView, ...errorResponses(404) } } }, async (req) => {
    const board = app.workshops.board(req.params.boardId);
    if (!board) throw notFound(BOARD);
    const workshop = app.workshops.byId(board.workshopId)!;
    return {
      id: board.id,
      url: `/tablero/${board.id}`,
      workshop: { code: workshop.code, title: workshop.title },
      challenge: app.challenges.get(board.challengeId)!
    };
  });
};
export default boards;
