import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createIdentityResolver, type Identity, type IdentityResolver } from '../../auth/identity.ts';
import { TokenSigner } from '../../auth/tokens.ts';
import { unauthorized } from '../../errors.ts';
import { createChallengesRepository, type ChallengesRepository } from '../../repositories/challenges.ts';
import { createJoiningRepository, type JoiningRepository } from '../../repositories/joining.ts';
import { createResultsRepository, type ResultsRepository } from '../../repositories/results.ts';
import { createWorkshopsRepository, type WorkshopsRepository } from '../../repositories/workshops.ts';

declare module 'fastify' {
  interface FastifyInstance {
    challenges: ChallengesRepository;
    workshops: WorkshopsRepository;
    joining: JoiningRepository;
    results: ResultsRepository;
    tokens: TokenSigner;
    resolveIdentity: IdentityResolver;
    /** The identity behind `Authorization: Bearer <token>`; throws 401 without a valid one. */
    requireIdentity(request: FastifyRequest): Identity;
  }
}

export default fp(
  async (app) => {
    const challenges = createChallengesRepository(app.db);
    const workshops = createWorkshopsRepository(app.db);
    const tokens = new TokenSigner(app.config.secret);
    const resolveIdentity = createIdentityResolver(tokens, workshops);
    app.decorate('challenges', challenges);
    app.decorate('workshops', workshops);
    app.decorate('joining', createJoiningRepository(app.db, workshops));
    app.decorate('results', createResultsRepository(app.db));
    app.decorate('tokens', tokens);
    app.decorate('resolveIdentity', resolveIdentity);
    app.decorate('requireIdentity', (request: FastifyRequest) => {
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      const result = resolveIdentity(token);
      if (!result.ok) throw unauthorized();
      return result.identity;
    });
  },
  { name: 'domain', dependencies: ['database'] }
);
