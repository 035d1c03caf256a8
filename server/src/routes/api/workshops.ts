import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deviceOf } from '../../auth/device.ts';
import { isJoinCode, normalizeJoinCode } from '../../auth/ids.ts';
import { facilitatorId } from '../../auth/tokens.ts';
import { invalidInput, joinRefused, notFound } from '../../errors.ts';
import { publicOrigin } from '../../public-origin.ts';
import { announceJoining } from '../../realtime/joining-state.ts';
import { errorResponses } from '../../schemas/common.ts';
import { CodeParams, CreatedWorkshop, CreateWorkshopBody, JoinBody, Joined, JoinPending, Me, WorkshopView } from '../../schemas/workshops.ts';
import { MAX_WAITING_PER_WORKSHOP, participantToken } from './joining.ts';

const WORKSHOP = { es: 'ese taller (revisa el código)', en: 'Workshop' };


const workshops: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/workshops',
    { schema: { body: CreateWorkshopBody, response: { 201: CreatedWorkshop, ...errorResponses(400) } } },
    async (req, reply) => {
      const unknown = req.body.challengeIds.filter((id) => !app.challenges.get(id));
      if (unknown.length > 0) throw invalidInput(`desafío desconocido / unknown challenge: ${unknown.join(', ')}`);
      const workshop = app.workshops.create({ title: req.body.title.trim(), challengeIds: req.body.challengeIds });
      const facilitatorToken = app.tokens.sign(
        { role: 'facilitator', sub: facilitatorId(workshop.id), wid: workshop.id, code: workshop.code },
        app.config.facilitatorTokenTtlMs
      );
      req.log.info({ workshopId: workshop.id, boards: workshop.boards.length }, 'workshop created');
      return reply.code(201).send({
        workshopId: workshop.id,
        code: workshop.code,
        title: workshop.title,
        facilitatorToken,
        joinUrl: `${publicOrigin(app.config, req)}/taller/${workshop.code}`,
        boards: workshop.boards.map((b) => ({ id: b.id, challengeId: b.challengeId, url: `/tablero/${b.id}` }))
      });
    }
  );

  app.get('/workshops/:code', { schema: { params: CodeParams, response: { 200: WorkshopView, ...errorResponses(404) } } }, async (req) => {
    const code = normalizeJoinCode(req.params.code);
    const workshop = isJoinCode(code) ? app.workshops.byCode(code) : null;
    if (!workshop) throw notFound(WORKSHOP);
    return {
      code: workshop.code,
      title: workshop.title,
      createdAt: workshop.createdAt,
      joinUrl: `${publicOrigin(app.config, req)}/taller/${workshop.code}`,
      joining: workshop.joinPolicy,
      boards: workshop.boards.map((b) => {
        const challenge = app.challenges.get(b.challengeId)!;
        return { id: b.id, challengeId: b.challengeId, number: challenge.number, title: challenge.title, url: `/tablero/${b.id}` };
      })
    };
  });

  app.post(
    '/workshops/:code/join',
    { schema: { params: CodeParams, body: JoinBody, response: { 201: Joined, 202: JoinPending, ...errorResponses(400, 403, 404) } } },
    async (req, reply) => {
      const code = normalizeJoinCode(req.params.code);
      const workshop = isJoinCode(code) ? app.workshops.byCode(code) : null;
      if (!workshop) throw notFound(WORKSHOP);
      const deviceId = deviceOf(req, reply);
      const barred = app.joining.barred(workshop.id, deviceId);
      if (barred) throw joinRefused(barred === 'removed' ? 'DEVICE_REMOVED' : 'JOIN_REFUSED');
      if (workshop.joinPolicy === 'closed') throw joinRefused('JOINING_CLOSED');
      const joiner = {
        workshopId: workshop.id,
        name: req.body.name.trim().replace(/\s+/g, ' '),
        sector: req.body.sector,
        comuna: req.body.comuna,
        deviceId
      };
      if (workshop.joinPolicy === 'approval') {
        if (app.joining.waitingCount(workshop.id) >= MAX_WAITING_PER_WORKSHOP) throw joinRefused('WAITING_LIST_FULL');
        const { request, secret } = app.joining.ask(joiner);
        announceJoining(app, workshop.id);
        req.log.info({ workshopId: workshop.id, requestId: request.id }, 'join requested');
        return reply.code(202).send({ status: 'pending', requestId: request.id, secret });
      }
      const participant = app.workshops.addParticipant(joiner);
      req.log.info({ workshopId: workshop.id, participantId: participant.id }, 'participant joined');
      return reply.code(201).send({ token: participantToken(app, participant.id, workshop), participantId: participant.id });
    }
  );

  app.get('/me', { schema: { response: { 200: Me, ...errorResponses(401) } } }, async (req) => {
    const me = app.requireIdentity(req);
    return { role: me.role, id: me.id, workshopCode: me.workshopCode, name: me.name, sector: me.sector, comuna: me.comuna };
  });
};
export default workshops;
