import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Board } from '../../../../db/schema/workshops.ts';
import { boardAccess, type BoardAccessLevel } from '../../auth/board-access.ts';
import type { Identity } from '../../auth/identity.ts';
import { forbidden, notFound } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route acts on `:boardId`: a hook checks the caller may (401, 404, 403) before the handler. */
    boardAccess?: BoardAccessLevel;
  }
  interface FastifyRequest {
    boardCaller: { identity: Identity; board: Board } | null;
  }
}

const BOARD = { es: 'ese tablero', en: 'Board' };

/** What the hook resolved for a route declaring `config.boardAccess`. */
export function boardCaller(req: FastifyRequest): { identity: Identity; board: Board } {
  if (!req.boardCaller) throw new Error(`route ${req.routeOptions.url} reads the board caller without config.boardAccess`);
  return req.boardCaller;
}

/** The REST side of the one board authorization (auth/board-access.ts), as a preHandler hook. */
export default fp(
  async (app) => {
    app.decorateRequest('boardCaller', null);
    app.addHook('preHandler', async (req) => {
      const level = req.routeOptions.config.boardAccess;
      if (!level) return;
      const identity = await app.requireIdentity(req);
      const access = await boardAccess(app.workshops, identity, (req.params as { boardId: string }).boardId, level);
      if (!access.ok) throw access.refusal === 'BOARD_NOT_FOUND' ? notFound(BOARD) : forbidden();
      req.boardCaller = { identity, board: access.board };
    });
  },
  { name: 'board-routes', dependencies: ['domain'] }
);
