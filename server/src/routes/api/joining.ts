import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { isJoinCode, normalizeJoinCode } from '../../auth/ids.ts';
import { JOIN_REFUSALS, notFound } from '../../errors.ts';
import { RATE_LIMIT_WINDOW_MS } from '../../config.ts';
import { errorResponses } from '../../schemas/common.ts';
import { JoinAnswer, JoinRequestParams } from '../../schemas/workshops.ts';

/** People waiting at once for one workshop's answer; past this, joining asks them to try later. */
export const MAX_WAITING_PER_WORKSHOP = 200;

const REQUEST = { es: 'esa solicitud para unirse', en: 'Join request' };

export const participantToken = (app: FastifyInstance, participantId: string, workshop: { id: string; code: string }) =>
  app.tokens.sign({ role: 'participant', sub: participantId, wid: workshop.id, code: workshop.code }, app.config.participantTokenTtlMs);

/**
 * `GET /api/workshops/:code/join-requests/:requestId` with `Authorization: Bearer <secret>`: what the
 * facilitator answered a waiting person. The join page asks every few seconds (docs/api.md).
 */
const joining: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/workshops/:code/join-requests/:requestId',
    {
      // Its own budget, apart from the general one: a room behind one router, everyone waiting for
      // approval and asking every 2 s, must not use up the budget of the others' page loads.
      config: { rateLimit: { max: app.config.rateLimits.apiPerMinute * 10, timeWindow: RATE_LIMIT_WINDOW_MS } },
      schema: { params: JoinRequestParams, response: { 200: JoinAnswer, ...errorResponses(404, 429) } }
    },
    async (req, reply) => {
      const code = normalizeJoinCode(req.params.code);
      const workshop = isJoinCode(code) ? await app.workshops.byCode(code) : null;
      const header = req.headers.authorization;
      const secret = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const request = workshop && secret ? await app.joining.read(workshop.id, req.params.requestId, secret) : null;
      if (!workshop || !request) throw notFound(REQUEST);
      reply.header('cache-control', 'no-store');
      if (request.status === 'pending') return { status: 'pending' as const };
      // Approved, then removed: the same words as a removed person's browser gets.
      const participant = request.participantId ? await app.workshops.activeParticipant(workshop.id, request.participantId) : null;
      if (request.status === 'approved' && participant) {
        return { status: 'approved' as const, token: participantToken(app, participant.id, workshop), participantId: participant.id };
      }
      const [message, messageEn] = JOIN_REFUSALS[request.status === 'approved' ? 'DEVICE_REMOVED' : 'JOIN_REFUSED'];
      return { status: 'refused' as const, message, messageEn };
    }
  );
};
export default joining;
