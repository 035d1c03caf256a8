import { workshopAccess } from '../../auth/board-access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { deviceOf } from '../../auth/device.ts';
import { isJoinCode, normalizeJoinCode } from '../../auth/ids.ts';
import { facilitatorId } from '../../auth/tokens.ts';
import { MAX_CHALLENGES_PER_WORKSHOP } from '../../../../contract/challenges.ts';
import { CREATE_WORKSHOP_BODY_BYTES, RATE_LIMIT_WINDOW_MS } from '../../config.ts';
import { forbidden, invalidInput, joinRefused, notFound } from '../../errors.ts';
import { closeFacilitatorSockets } from '../../realtime/revoke-sockets.ts';
import { publicOrigin } from '../../public-origin.ts';
import { announceJoining } from '../../realtime/joining-state.ts';
import { ChallengeList } from '../../schemas/challenges.ts';
import { errorResponses } from '../../schemas/common.ts';
import { CodeParams, CreatedWorkshop, CreateWorkshopBody, FacilitatorToken, JoinBody, Joined, JoinPending, Me, WorkshopView } from '../../schemas/workshops.ts';
import { MAX_WAITING_PER_WORKSHOP, participantToken } from './joining.ts';

const WORKSHOP = { es: 'ese taller (revisa el código)', en: 'Workshop' };

const workshops: FastifyPluginAsyncTypebox = async (app) => {
  const limits = app.config.rateLimits;
  const perMinute = (max: number) => ({ rateLimit: { max, timeWindow: RATE_LIMIT_WINDOW_MS } });

  const facilitatorToken = (workshop: { id: string; code: string }, gen: number) =>
    app.tokens.sign({ role: 'facilitator', sub: facilitatorId(workshop.id), wid: workshop.id, code: workshop.code, gen }, app.config.facilitatorTokenTtlMs);

  /** The workshop of a code someone typed, or 404; misses count as guesses. */
  async function workshopOfCode(req: FastifyRequest, typed: string) {
    await app.codeGuesses.check(req);
    const code = normalizeJoinCode(typed);
    const workshop = isJoinCode(code) ? await app.workshops.byCode(code) : null;
    if (workshop) return workshop;
    await app.codeGuesses.miss(req);
    throw notFound(WORKSHOP);
  }

  /** Each board with its challenge's number and title, as the workshop's answers list them. */
  const boardLinks = (boards: readonly { id: string; challengeId: string }[]) =>
    Promise.all(
      boards.map(async (b) => {
        const challenge = (await app.challenges.get(b.challengeId))!;
        return { id: b.id, challengeId: b.challengeId, number: challenge.number, title: challenge.title, url: `/tablero/${b.id}` };
      })
    );

  app.post(
    '/workshops',
    {
      bodyLimit: CREATE_WORKSHOP_BODY_BYTES,
      config: perMinute(limits.workshopCreationsPerMinute),
      schema: { body: CreateWorkshopBody, response: { 201: CreatedWorkshop, ...errorResponses(400, 429) } }
    },
    async (req, reply) => {
      const { challengeIds = [], challenges: own = [] } = req.body;
      const total = challengeIds.length + own.length;
      if (total < 1 || total > MAX_CHALLENGES_PER_WORKSHOP) {
        throw invalidInput(
          `un taller tiene de 1 a ${MAX_CHALLENGES_PER_WORKSHOP} desafíos, entre elegidos («challengeIds») y propios («challenges»), y este tendría ${total}`,
          `a workshop has 1 to ${MAX_CHALLENGES_PER_WORKSHOP} challenges, chosen ("challengeIds") and its own ("challenges") together, and this one would have ${total}`
        );
      }
      // Only seeded challenges are chosen by id: another workshop's own are reused by copying them.
      const seeded = await Promise.all(challengeIds.map((id) => app.challenges.seeded(id)));
      const unknown = challengeIds.filter((_, i) => !seeded[i]);
      if (unknown.length > 0) throw invalidInput(`desafío desconocido: ${unknown.join(', ')}`, `unknown challenge: ${unknown.join(', ')}`);
      const workshop = await app.workshops.create({ title: req.body.title.trim(), seeded: seeded.filter((c) => c !== null), own });
      req.log.info({ workshopId: workshop.id, boards: workshop.boards.length }, 'workshop created');
      return reply.code(201).send({
        workshopId: workshop.id,
        code: workshop.code,
        title: workshop.title,
        facilitatorToken: facilitatorToken(workshop, workshop.facilitatorTokenGen),
        joinUrl: `${publicOrigin(app.config, req)}/taller/${workshop.code}`,
        boards: await boardLinks(workshop.boards)
      });
    }
  );

  app.get('/workshops/:code', { schema: { params: CodeParams, response: { 200: WorkshopView, ...errorResponses(404, 429) } } }, async (req) => {
    const workshop = await workshopOfCode(req, req.params.code);
    return {
      code: workshop.code,
      title: workshop.title,
      createdAt: workshop.createdAt,
      joinUrl: `${publicOrigin(app.config, req)}/taller/${workshop.code}`,
      joining: workshop.joinPolicy,
      boards: await boardLinks(workshop.boards)
    };
  });

  app.get(
    '/workshops/:code/challenges',
    { schema: { params: CodeParams, response: { 200: ChallengeList, ...errorResponses(401, 403, 404, 429) } } },
    async (req) => {
      // Facilitators only: this is how one proves a workshop's own challenges are theirs to reuse.
      const me = await app.requireIdentity(req);
      const workshop = await workshopOfCode(req, req.params.code);
      if (!workshopAccess(me, workshop.id, 'facilitator')) throw forbidden();
      return Promise.all(workshop.boards.map(async (b) => (await app.challenges.get(b.challengeId))!));
    }
  );

  app.post(
    '/workshops/:code/join',
    {
      config: perMinute(limits.joinsPerMinute),
      schema: { params: CodeParams, body: JoinBody, response: { 201: Joined, 202: JoinPending, ...errorResponses(400, 403, 404, 429) } }
    },
    async (req, reply) => {
      const workshop = await workshopOfCode(req, req.params.code);
      const deviceId = deviceOf(req, reply);
      const barred = await app.joining.barred(workshop.id, deviceId);
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
        const asked = await app.joining.ask(joiner, MAX_WAITING_PER_WORKSHOP);
        if (!asked) throw joinRefused('WAITING_LIST_FULL');
        const { request, secret } = asked;
        await announceJoining(app, workshop.id);
        req.log.info({ workshopId: workshop.id, requestId: request.id }, 'join requested');
        return reply.code(202).send({ status: 'pending', requestId: request.id, secret });
      }
      const participant = await app.workshops.addParticipant(joiner);
      req.log.info({ workshopId: workshop.id, participantId: participant.id }, 'participant joined');
      return reply.code(201).send({ token: participantToken(app, participant.id, workshop), participantId: participant.id });
    }
  );

  app.post(
    '/workshops/:code/facilitator-token',
    { schema: { params: CodeParams, response: { 201: FacilitatorToken, ...errorResponses(401, 403, 404, 429) } } },
    async (req, reply) => {
      const me = await app.requireIdentity(req);
      const workshop = await workshopOfCode(req, req.params.code);
      if (!workshopAccess(me, workshop.id, 'facilitator')) throw forbidden();
      const gen = await app.workshops.rotateFacilitatorToken(workshop.id);
      // The old token is refused from now on; sockets opened with it are closed too.
      const closed = closeFacilitatorSockets(app, workshop.id);
      req.log.info({ workshopId: workshop.id, gen, closed }, 'facilitator token rotated');
      return reply.code(201).send({ facilitatorToken: facilitatorToken(workshop, gen) });
    }
  );

  app.get('/me', { schema: { response: { 200: Me, ...errorResponses(401) } } }, async (req) => {
    const me = await app.requireIdentity(req);
    return { role: me.role, id: me.id, workshopCode: me.workshopCode, name: me.name, sector: me.sector, comuna: me.comuna };
  });
};
export default workshops;
