/** WebSocket close codes of the content plane (docs/api.md). */
export const CloseCode = {
	/** Malformed request or message: reconnecting will not help. */
	BadRequest: 4400,
	/** Bad or expired token. */
	Unauthorized: 4401,
	/** Token of another workshop. */
	Forbidden: 4403,
	/** Unknown board. */
	NotFound: 4404,
	/** Too many messages: reconnect after the backoff. */
	RateLimited: 4408,
	/** The server could not store an update; reconnect, nothing was lost. */
	StoreFailed: 4500
} as const;

/** Close codes that mean "this token cannot open this board": the user must join again. */
export const REJOIN_CODES: ReadonlySet<number> = new Set([CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound]);

/** Close codes after which reconnecting is pointless. */
export const TERMINAL_CODES: ReadonlySet<number> = new Set([CloseCode.BadRequest, ...REJOIN_CODES]);
