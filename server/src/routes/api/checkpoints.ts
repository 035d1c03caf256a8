import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { forbidden, notFound } from '../../errors.ts';
import { BoardParams } from '../../schemas/boards.ts';
import { CheckpointList, CheckpointParams, RestoreAnswer } from '../../schemas/checkpoints.ts';
import { errorResponses } from '../../schemas/common.ts';

const BOARD = { es: 'ese tablero', en: 'Board' };
const CHECKPOINT = { es: 'ese punto del historial', en: 'Checkpoint' };

/** A board's history (checkpoints): facilitators of its workshop only. */
const checkpoints: FastifyPluginAsyncTypebox = async (app) => {
  const facilitatorsBoard = (req: FastifyRequest, boardId: string) => {
    const me = app.requireIdentity(req);
    const board = app.workshops.board(boardId);
    if (!board) throw notFound(BOARD);
    if (board.workshopId !== me.workshopId || me.role !== 'facilitator') throw forbidden();
    return board;
  };

  app.get(
    '/boards/:boardId/checkpoints',
    { schema: { params: BoardParams, response: { 200: CheckpointList, ...errorResponses(401, 403, 404) } } },
    async (req) => {
      const board = facilitatorsBoard(req, req.params.boardId);
      return { checkpoints: app.history.list(board.id) };
    }
  );

  app.post(
    '/boards/:boardId/checkpoints/:checkpointId/restore',
    { schema: { params: CheckpointParams, response: { 200: RestoreAnswer, ...errorResponses(400, 401, 403, 404, 503) } } },
    async (req) => {
      const board = facilitatorsBoard(req, req.params.boardId);
      const result = app.history.restore(board.id, Number(req.params.checkpointId));
      if (!result) throw notFound(CHECKPOINT);
      return result;
    }
  );
};
export default checkpoints;
