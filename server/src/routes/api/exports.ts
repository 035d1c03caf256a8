import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { forbidden, notFound } from '../../errors.ts';
import { EXPORT_FORMATS, renderExport, reportOf } from '../../export/exporter.ts';
import { errorResponses } from '../../schemas/common.ts';

const BOARD = { es: 'ese tablero', en: 'Board' };

/** `GET /api/boards/:boardId/export.(md|docx|csv|json)`: the proposal draft, for the workshop's people. */
const exports: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/boards/:boardId/export.:format',
    {
      schema: {
        params: Type.Object({
          boardId: Type.String({ minLength: 1, maxLength: 64 }),
          format: Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)))
        }),
        querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('es'), Type.Literal('en')])) }, { additionalProperties: false }),
        response: { 200: Type.Unknown({ description: 'The file (docx, md, csv or json)' }), ...errorResponses(400, 401, 403, 404, 503) }
      }
    },
    async (req, reply) => {
      const me = app.requireIdentity(req);
      const board = app.workshops.board(req.params.boardId);
      if (!board) throw notFound(BOARD);
      if (board.workshopId !== me.workshopId) throw forbidden();
      const lang = req.query.lang ?? (req.headers['accept-language']?.toLowerCase().startsWith('en') ? 'en' : 'es');
      const started = performance.now();
      const detail = { boardId: board.id, format: req.params.format };
      const report = app.track('export', detail, () => reportOf(app, board.id, lang));
      const { body, contentType, filename } = await app.trackAsync('export render', detail, () => renderExport(report, req.params.format));
      req.log.info({ boardId: board.id, format: req.params.format, ms: Math.round(performance.now() - started) }, 'board exported');
      return reply
        .header('content-type', contentType)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(body);
    }
  );
};
export default exports;
