import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { RATE_LIMIT_WINDOW_MS } from '../../config.ts';
import { rateLimited } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Guessing join codes: an address that missed too often in the window is refused. */
    codeGuesses: {
      /** Throws 429 if this address has used up its misses. */
      check(request: FastifyRequest): Promise<void>;
      /** Counts one lookup of a code that does not exist. */
      miss(request: FastifyRequest): Promise<void>;
    };
  }
}

/**
 * REST rate limits per address (@fastify/rate-limit, in memory): a general limit on every /api
 * route, tighter ones that routes set in `config.rateLimit`, and code guessing. Only /api is
 * counted: the web app's files are cheap and a room behind one router loads them all at once.
 */
export default fp(
  async (app) => {
    const limits = app.config.rateLimits;
    await app.register(rateLimit, {
      global: true,
      max: limits.apiPerMinute,
      timeWindow: RATE_LIMIT_WINDOW_MS,
      allowList: (req) => !req.url.startsWith('/api/'),
      errorResponseBuilder: (_req, ctx) => rateLimited(Math.ceil(ctx.ttl / 1000))
    });

    const misses = app.createRateLimit({ max: limits.codeMissesPerMinute, timeWindow: RATE_LIMIT_WINDOW_MS });
    app.decorate('codeGuesses', {
      async check(request: FastifyRequest) {
        const state = await misses(request, { increment: false });
        if (state.isAllowed || state.remaining > 0) return;
        throw rateLimited(state.ttlInSeconds);
      },
      async miss(request: FastifyRequest) {
        await misses(request);
      }
    });
  },
  { name: 'rate-limit', dependencies: ['database'] }
);
