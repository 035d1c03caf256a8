import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../errors.ts';
import { boardCaller } from '../../plugins/app/board-routes.ts';
import { BoardParams } from '../../schemas/boards.ts';
import { CheckpointList, CheckpointParams, RestoreAnswer } from '../../schemas/checkpoints.ts';
import { errorResponses } from '../../schemas/common.ts';

const CHECKPOINT = { es: 'ese punto del historial', en: 'Checkpoint' };

/** A board's history (checkpoints): facilitators of its workshop only. */
const checkpoints: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/boards/:boardId/checkpoints',
    { config: { boardAccess: 'facilitator' }, schema: { params: BoardParams, response: { 200: CheckpointList, ...errorResponses(401, 403, 404) } } },
    async (req) => {
      const { board } = boardCaller(req);
      return { checkpoints: await app.history.list(board.id) };
    }
  );

  app.post(
    '/boards/:boardId/checkpoints/:checkpointId/restore',
    { config: { boardAccess: 'facilitator' }, schema: { params: CheckpointParams, response: { 200: RestoreAnswer, ...errorResponses(400, 401, 403, 404, 503) } } },
    async (req) => {
      const { board } = boardCaller(req);
      const result = await app.history.restore(board.id, Number(req.params.checkpointId));
      if (!result) throw notFound(CHECKPOINT);
      return result;
    }
  );
};
export default checkpoints;
