import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createIdentityResolver, type Identity, type IdentityResolver } from '../../auth/identity.ts';
import { TokenSigner } from '../../auth/tokens.ts';
import { unauthorized } from '../../errors.ts';
import type { ChallengesRepository } from '../../repositories/challenges.ts';
import type { CheckpointsRepository } from '../../repositories/checkpoints.ts';
import type { JoiningRepository } from '../../repositories/joining.ts';
import { createPgRepositories } from '../../repositories/pg/index.ts';
import type { ResultsRepository } from '../../repositories/results.ts';
import { createSqliteRepositories } from '../../repositories/sqlite/index.ts';
import type { WorkshopsRepository } from '../../repositories/workshops.ts';

declare module 'fastify' {
  interface FastifyInstance {
    challenges: ChallengesRepository;
    workshops: WorkshopsRepository;
    joining: JoiningRepository;
    results: ResultsRepository;
    checkpoints: CheckpointsRepository;
    tokens: TokenSigner;
    resolveIdentity: IdentityResolver;
    /** The identity behind `Authorization: Bearer <token>`; rejects with 401 without a valid one. */
    requireIdentity(request: FastifyRequest): Promise<Identity>;
  }
}

/** The repositories on PostgreSQL when DATABASE_URL is set (app.pg), on the SQLite file otherwise. */
export default fp(
  async (app) => {
    const repos = app.pg ? createPgRepositories(app.pg.db) : createSqliteRepositories(app.db);
    const tokens = new TokenSigner(app.config.secret);
    const resolveIdentity = createIdentityResolver(tokens, repos.workshops);
    app.decorate('challenges', repos.challenges);
    app.decorate('workshops', repos.workshops);
    app.decorate('joining', repos.joining);
    app.decorate('results', repos.results);
    app.decorate('checkpoints', repos.checkpoints);
    app.decorate('tokens', tokens);
    app.decorate('resolveIdentity', resolveIdentity);
    app.decorate('requireIdentity', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      const result = await resolveIdentity(token);
      if (!result.ok) throw unauthorized();
      return result.identity;
    });
  },
  { name: 'domain', dependencies: ['database'] }
);
