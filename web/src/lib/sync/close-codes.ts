/**
 * What the web app does when the server closes a content-plane socket. The codes themselves come
 * from the server's module (docs/api.md), so the two sides cannot drift apart.
 */
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from '../../../../server/src/sync/close-codes';

export { CloseCode };

/** After a rate-limit close, wait this long before reconnecting (ms): the server's budget refills meanwhile. */
export const RATE_LIMIT_PAUSE_MS = 5_000;

/** Close codes that mean "this token cannot open this board": the user must join again. */
export const REJOIN_CODES: ReadonlySet<number> = new Set([CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound]);

/** Close codes after which reconnecting is pointless. */
export const TERMINAL_CODES: ReadonlySet<number> = new Set([CloseCode.BadRequest, ...REJOIN_CODES]);

export interface CloseHandlers {
	/** The token cannot open this board (4401/4403/4404). */
	rejoin?(code: number): void;
	/** Closed for good for another reason (4400). */
	failed?(code: number): void;
	/** Rate limited: reconnecting in `ms`. */
	paused?(ms: number): void;
}

/**
 * Makes a provider follow the close codes: reconnect with y-websocket's backoff after transient
 * closes, after a pause when rate limited (reconnecting at once would only be closed again), and
 * never after final ones. Returns the function to call before destroying the provider.
 */
export function followCloseCodes(provider: WebsocketProvider, handlers: CloseHandlers, pauseMs = RATE_LIMIT_PAUSE_MS): () => void {
	let pause: ReturnType<typeof setTimeout> | undefined;
	provider.shouldReconnect = (event) => !TERMINAL_CODES.has(event.code) && event.code !== CloseCode.RateLimited;
	const onClosed = ({ code }: { code: number }) => {
		if (code === CloseCode.RateLimited) {
			handlers.paused?.(pauseMs);
			pause = setTimeout(() => provider.connect(), pauseMs);
		} else if (REJOIN_CODES.has(code)) handlers.rejoin?.(code);
		else handlers.failed?.(code);
	};
	provider.on('closed', onClosed);
	return () => {
		clearTimeout(pause);
		provider.off('closed', onClosed);
	};
}
