import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** A signed token (`base64url.base64url`, docs/api.md) wherever it appears in text. */
const TOKEN = /[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g;
const CREDENTIAL = /\b(token=|Bearer\s+)[^\s&"']+/gi;

/** Text with tokens and credentials cut out, for messages and stacks that go to a log. */
export const scrub = (text: string) => text.replace(CREDENTIAL, '$1[redacted]').replace(TOKEN, '[redacted]');

/** A URL's path: its query may carry `?token=`. */
export const pathOf = (url: string) => url.split('?')[0]!;

/** What a log line says about a request: method, path and route, never headers, cookies or query. */
export const requestFields = (request: FastifyRequest) => ({
  method: request.method,
  url: pathOf(request.url),
  route: request.routeOptions?.url
});

interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: unknown;
  statusCode?: unknown;
  cause?: LoggedError;
}

/**
 * An error as a log line shows it: picked fields only. pino's default copies every enumerable
 * property, such as the raw bytes of a malformed request (`rawPacket`, its URL and token included).
 */
export function errorFields(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: scrub(String(err)), stack: '' };
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  return {
    type: e.name,
    message: scrub(e.message),
    stack: scrub(e.stack ?? ''),
    code: e.code,
    statusCode: e.statusCode,
    cause: e.cause !== undefined && depth < 3 ? errorFields(e.cause, depth + 1) : undefined
  };
}

/** Every logger of the app uses these (Fastify's request logger included). */
export const logSerializers = { req: requestFields, err: errorFields };

/** The logger options with the app's serializers. */
export function withSerializers(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return logger;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, ...logSerializers } };
}
