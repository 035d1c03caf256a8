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

/** Why a join is refused (403): the words a person reads on the join page. */
export const JOIN_REFUSALS = {
  JOINING_CLOSED: [
    'La facilitación cerró la inscripción a este taller. Si debías estar aquí, avísale a la facilitación.',
    'The facilitator closed joining for this workshop. If you should be here, tell the facilitator.'
  ],
  DEVICE_REMOVED: [
    'La facilitación te retiró de este taller, así que desde este navegador no puedes volver a unirte. Si crees que es un error, habla con la facilitación.',
    'The facilitator removed you from this workshop, so you cannot join it again from this browser. If you think this is a mistake, talk to the facilitator.'
  ],
  JOIN_REFUSED: [
    'La facilitación no aprobó tu solicitud para unirte a este taller. Si crees que es un error, habla con la facilitación.',
    'The facilitator did not approve your request to join this workshop. If you think this is a mistake, talk to the facilitator.'
  ],
  WAITING_LIST_FULL: [
    'La lista de espera de este taller está llena. Avísale a la facilitación o inténtalo en unos minutos.',
    'The waiting list of this workshop is full. Tell the facilitator or try again in a few minutes.'
  ]
} as const satisfies Record<string, readonly [string, string]>;
export type JoinRefusalCode = keyof typeof JOIN_REFUSALS;

export const joinRefused = (code: JoinRefusalCode) => new MingaError(code, 403, JOIN_REFUSALS[code][0], JOIN_REFUSALS[code][1]);

export const invalidInput = (detail: string, detailEn = detail) =>
  new MingaError('INVALID_INPUT', 400, `Datos no válidos: ${detail}`, `Invalid input: ${detailEn}`);

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

/** A board whose stored log does not replay whole: refused until an operator repairs it. */
export const boardUnavailable = (options?: { cause?: unknown }) =>
  new MingaError(
    'BOARD_UNAVAILABLE',
    503,
    'Este tablero no se puede abrir ahora: su historial guardado tiene un problema. Tus ideas siguen guardadas; avisa a la facilitación.',
    'This board cannot be opened right now: its stored history has a problem. Your ideas are still stored; tell the facilitator.',
    options
  );
