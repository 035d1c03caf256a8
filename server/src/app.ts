import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { MingaError, RateLimitedError } from './errors.ts';
import { lazySchemaCompilers } from './lazy-schema-compilers.ts';
import { pathOf, requestFields, withSerializers } from './logging.ts';
import { describeValidationError } from './validation-message.ts';
import backups from './plugins/app/backups.ts';
import database from './plugins/app/database.ts';
import diagnostics from './plugins/app/diagnostics.ts';
import boardRoutes from './plugins/app/board-routes.ts';
import domain from './plugins/app/domain.ts';
import history from './plugins/app/history.ts';
import realtime from './plugins/app/realtime.ts';
import redis from './plugins/app/redis.ts';
import sessions from './plugins/app/sessions.ts';
import sync from './plugins/app/sync.ts';
import rateLimit from './plugins/external/rate-limit.ts';
import securityHeaders from './plugins/external/security-headers.ts';
import web from './plugins/external/web.ts';
import boards from './routes/api/boards.ts';
import challenges from './routes/api/challenges.ts';
import checkpoints from './routes/api/checkpoints.ts';
import exports from './routes/api/exports.ts';
import health from './routes/api/health.ts';
import joining from './routes/api/joining.ts';
import suggestions from './routes/api/suggestions.ts';
import results from './routes/api/results.ts';
import workshops from './routes/api/workshops.ts';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
}

/** pino-pretty only when a person watches the terminal; JSON lines otherwise. */
export function defaultLogger(level: string): FastifyServerOptions['logger'] {
  return process.stdout.isTTY ? { level, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : { level };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: withSerializers(options.logger ?? defaultLogger(config.logLevel)),
    // Strict validation: bad input is refused, never coerced or silently trimmed.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // Each route's schemas compiled on its first request, not all before listening (issue 10).
    schemaController: { compilersFactory: lazySchemaCompilers },
    bodyLimit: 64 * 1024,
    forceCloseConnections: true,
    // Behind a reverse proxy, request.ip (and so the per-address limits) reads X-Forwarded-For.
    trustProxy: config.trustProxyHops > 0 ? (_address: string, hop: number) => hop < config.trustProxyHops : false
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof RateLimitedError) reply.header('retry-after', err.retryAfterS);
    if (err instanceof MingaError) return reply.code(err.statusCode).send(err.toJSON());
    if (err.validation) {
      const { es, en } = describeValidationError(err.validation[0], err.validationContext ?? 'body');
      return reply.code(400).send({ statusCode: 400, code: 'INVALID_INPUT', message: `Datos no válidos: ${es}.`, messageEn: `Invalid input: ${en}.` });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      return reply.code(status).send({
        statusCode: status,
        code: err.code ?? 'BAD_REQUEST',
        message: 'La solicitud no es válida.',
        messageEn: err.message
      });
    }
    request.log.error({ err, ...requestFields(request) }, 'request failed');
    return reply.code(500).send({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Ocurrió un error en el servidor. Tus ideas están a salvo; inténtalo de nuevo.',
      messageEn: 'Something went wrong on the server. Your ideas are safe; try again.'
    });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: `No existe ${request.method} ${pathOf(request.url)}.`,
      messageEn: `Route ${request.method} ${pathOf(request.url)} not found.`
    })
  );

  await app.register(database, { config });
  await app.register(securityHeaders, { webRoot: config.webRoot });
  await app.register(rateLimit);
  await app.register(diagnostics);
  await app.register(backups);
  await app.register(domain);
  await app.register(boardRoutes);
  await app.register(redis);
  await app.register(sync);
  await app.register(sessions);
  await app.register(history);
  await app.register(realtime);
  await app.register(
    async (api) => {
      await api.register(health);
      await api.register(challenges);
      await api.register(workshops);
      await api.register(joining);
      await api.register(boards);
      await api.register(checkpoints);
      await api.register(exports);
      await api.register(suggestions);
      await api.register(results);
    },
    { prefix: '/api' }
  );
  await app.register(web, { root: config.webRoot });
  return app;
}
