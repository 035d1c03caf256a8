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

/** A board whose stored log does not replay whole: refused until an operator repairs it. */
export const boardUnavailable = (options?: { cause?: unknown }) =>
  new MingaError(
    'BOARD_UNAVAILABLE',
    503,
    'Este tablero no se puede abrir ahora: su historial guardado tiene un problema. Tus ideas siguen guardadas; avisa a la facilitación.',
    'This board cannot be opened right now: its stored history has a problem. Your ideas are still stored; tell the facilitator.',
    options
  );

/**
 * WebSocket close codes of the content plane. y-websocket treats 4400–4499 as final (it stops
 * reconnecting) and everything else, 4500–4599 included, as "try again later".
 */
export const CloseCode = {
  /** Malformed URL or message. */
  BadRequest: 4400,
  /** Token missing, forged, expired or revoked. */
  Unauthorized: 4401,
  /** Token of another workshop. */
  Forbidden: 4403,
  /** No such board. */
  NotFound: 4404,
  /** The connection sent messages faster than allowed; it may reconnect after backing off. */
  RateLimited: 4529,
  /** The server could not store an update; reconnect (nothing was lost). */
  StorageFailed: 4500,
  /** The board's stored log does not replay whole, so it is not served; retry later. */
  BoardUnavailable: 4503,
  /** The server is shutting down. */
  GoingAway: 1001
} as const;
