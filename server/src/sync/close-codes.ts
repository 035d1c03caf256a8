/**
 * WebSocket close codes of the content plane (docs/api.md). The one source for the server and
 * the web app, which imports this module: keep it free of imports.
 *
 * y-websocket treats 4400–4499 as final (it stops reconnecting) and everything else, 4500–4599
 * included, as "try again later".
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
  /** The server could not store an update; reconnect (nothing was lost). */
  StorageFailed: 4500,
  /** The board's stored log does not replay whole, so it is not served; retry later. */
  BoardUnavailable: 4503,
  /** The participant (or address) sent messages faster than allowed; reconnect after a pause. */
  RateLimited: 4529,
  /** The server is shutting down. */
  GoingAway: 1001
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
