/**
 * Errors with a stable code and a message in Spanish and English. Clients branch on `code`;
 * people read `message` (es) or `messageEn`.
 */
export class MingaError extends Error {
  override name = 'MingaError';
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly messageEn: string,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }

  toJSON(): ErrorBody {
    return { statusCode: this.statusCode, code: this.code, message: this.message, messageEn: this.messageEn };
  }
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn: string;
}

/** The `{ code, message, messageEn }` part of an error, as acks and refusal reasons carry it. */
export interface ErrorInfo {
  code: string;
  message: string;
  messageEn: string;
}

export const errorInfo = (e: MingaError): ErrorInfo => ({ code: e.code, message: e.message, messageEn: e.messageEn });

export const notFound = (what: { es: string; en: string }) =>
  new MingaError('NOT_FOUND', 404, `No encontramos ${what.es}.`, `${what.en} not found.`);

export const unauthorized = () =>
  new MingaError(
    'UNAUTHORIZED',
    401,
    'Tu acceso no es válido o expiró. Vuelve a unirte al taller.',
    'Your access is invalid or expired. Join the workshop again.'
  );

export const forbidden = () =>
  new MingaError('FORBIDDEN', 403, 'No tienes acceso a este taller.', 'You do not have access to this workshop.');

export const invalidInput = (detail: string) =>
  new MingaError('INVALID_INPUT', 400, `Datos no válidos: ${detail}`, `Invalid input: ${detail}`);

/** Too many requests from one address; `retryAfterS` is also sent as `Retry-After`. */
export class RateLimitedError extends MingaError {
  constructor(readonly retryAfterS: number) {
    super(
      'RATE_LIMITED',
      429,
      `Demasiadas solicitudes desde tu conexión. Espera ${retryAfterS} s y vuelve a intentarlo.`,
      `Too many requests from your connection. Wait ${retryAfterS} s and try again.`
    );
  }
}

export const rateLimited = (retryAfterS: number) => new RateLimitedError(Math.max(1, retryAfterS));

export { CloseCode } from './sync/close-codes.ts';
