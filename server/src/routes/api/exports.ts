import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { boardCaller } from '../../plugins/app/board-routes.ts';
import { EXPORT_FORMATS, renderExport, reportOf } from '../../export/exporter.ts';
import { errorResponses } from '../../schemas/common.ts';

/** `GET /api/boards/:boardId/export.(md|docx|csv|json)`: the proposal draft, for the workshop's people. */
const exports: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/boards/:boardId/export.:format',
    {
      config: { boardAccess: 'member' },
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
      const { board } = boardCaller(req);
      const lang = req.query.lang ?? (req.headers['accept-language']?.toLowerCase().startsWith('en') ? 'en' : 'es');
      const started = performance.now();
      const detail = { boardId: board.id, format: req.params.format };
      const report = await app.trackAsync('export', detail, () => reportOf(app, board.id, lang));
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
