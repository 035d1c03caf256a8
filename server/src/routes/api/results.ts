import { workshopAccess } from '../../auth/board-access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { isJoinCode, normalizeJoinCode } from '../../auth/ids.ts';
import { forbidden, MingaError, notFound } from '../../errors.ts';
import { reportOf } from '../../export/exporter.ts';
import { renderWorkshopZip, workshopFilename } from '../../export/workshop-zip.ts';
import { resultsRoom, resultsWaitingRoom } from '../../realtime/socket-types.ts';
import { errorResponses } from '../../schemas/common.ts';
import { WorkshopResults } from '../../schemas/results.ts';
import { CodeParams } from '../../schemas/workshops.ts';

const WORKSHOP = { es: 'ese taller', en: 'Workshop' };
const Lang = Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('es'), Type.Literal('en')])) }, { additionalProperties: false });

const notPublished = () =>
  new MingaError('RESULTS_NOT_PUBLISHED', 403, 'La facilitación aún no publica los resultados del taller.', 'The facilitator has not published the workshop results yet.');

/** "Resultados del taller": every board of a workshop at a glance, for its facilitators, and its participants once published. */
const results: FastifyPluginAsyncTypebox = async (app) => {
  const workshopFor = async (req: FastifyRequest, typed: string, facilitatorOnly: boolean) => {
    const me = await app.requireIdentity(req);
    const code = normalizeJoinCode(typed);
    const workshop = isJoinCode(code) ? await app.workshops.byCode(code) : null;
    if (!workshop) throw notFound(WORKSHOP);
    if (!workshopAccess(me, workshop.id)) throw forbidden();
    if (me.role !== 'facilitator') {
      if (facilitatorOnly) throw forbidden();
      if (workshop.resultsPublishedAt === null) throw notPublished();
    }
    return workshop;
  };
  const langOf = (query: { lang?: 'es' | 'en' }, req: FastifyRequest) =>
    query.lang ?? (req.headers['accept-language']?.toLowerCase().startsWith('en') ? 'en' : 'es');

  app.get(
    '/workshops/:code/results',
    { schema: { params: CodeParams, querystring: Lang, response: { 200: WorkshopResults, ...errorResponses(401, 403, 404) } } },
    async (req, reply) => {
      const workshop = await workshopFor(req, req.params.code, false);
      const answer = (await app.trackAsync('workshop results', { workshopId: workshop.id }, () => app.workshopResults.get(workshop.code, langOf(req.query, req))))!;
      return reply.header('cache-control', 'no-store').send(answer);
    }
  );

  const CONTENT_TYPES = { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', zip: 'application/zip' } as const;
  app.get(
    '/workshops/:code/results.:format',
    {
      schema: {
        params: Type.Object({ code: CodeParams.properties.code, format: Type.Union([Type.Literal('docx'), Type.Literal('zip')]) }),
        querystring: Lang,
        response: { 200: Type.Unknown({ description: 'The file: the workshop report (docx) or every board\'s CSV and JSON (zip)' }), ...errorResponses(400, 401, 403, 404, 503) }
      }
    },
    async (req, reply) => {
      const workshop = await workshopFor(req, req.params.code, false);
      const lang = langOf(req.query, req);
      const { format } = req.params;
      const detail = { workshopId: workshop.id, format };
      const now = new Date();
      const results = (await app.trackAsync('workshop results', detail, () => app.workshopResults.get(workshop.code, lang, now)))!;
      const reports = await app.trackAsync('workshop export', detail, () => Promise.all(workshop.boards.map((b) => reportOf(app, b.id, lang, now))));
      const body = format === 'docx' ? await app.trackAsync('workshop export render', detail, async () => (await import('../../export/workshop-docx.ts')).renderWorkshopDocx(results, reports, lang)) : renderWorkshopZip(results, reports);
      req.log.info(detail, 'workshop exported');
      return reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${workshopFilename(results, lang, format)}"`)
        .header('cache-control', 'no-store')
        .send(body);
    }
  );

  app.put(
    '/workshops/:code/results/published',
    {
      schema: {
        params: CodeParams,
        body: Type.Object({ published: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Type.Object({ publishedAt: Type.Union([Type.Integer(), Type.Null()]) }), ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (req) => {
      const workshop = await workshopFor(req, req.params.code, true);
      const publishedAt = await app.results.setPublished(workshop.id, req.body.published);
      const room = resultsRoom(workshop.id);
      app.io.to(room).to(resultsWaitingRoom(workshop.id)).emit('results:changed', { publishedAt });
      if (publishedAt === null) {
        // Participants stop hearing of changes at once; their page hides the results.
        for (const s of await app.io.in(room).fetchSockets()) if (s.data.identity.role !== 'facilitator') s.leave(room);
      }
      req.log.info({ workshopId: workshop.id, published: req.body.published }, 'results publication changed');
      return { publishedAt };
    }
  );
};
export default results;
