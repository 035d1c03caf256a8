/**
 * The session countdown on a client whose clock may be wrong. The server sends `endsAt` and
 * `serverNow` on its own clock; the client measures the offset when the state arrives and renders
 * the time left against it, so a phone set two minutes fast shows the same countdown as the rest.
 */
export interface CountdownState {
	status: 'idle' | 'running' | 'paused' | 'expired';
	endsAt: number | null;
	remainingMs: number | null;
	serverNow: number;
}

/** Server clock minus client clock (ms), measured when a state arrives at `receivedAt` (client clock). */
export const clockOffset = (serverNow: number, receivedAt: number) => serverNow - receivedAt;

/** Time left (ms) at client time `clientNow`, or null when there is no countdown. */
export function timeLeft(state: CountdownState, offset: number, clientNow: number): number | null {
	switch (state.status) {
		case 'running':
			return state.endsAt === null ? null : Math.max(0, state.endsAt - (clientNow + offset));
		case 'paused':
			return state.remainingMs;
		case 'expired':
			return 0;
		default:
			return null;
	}
}

/** "mm:ss" (or "h:mm:ss"), rounding up so "0:00" shows only when time is really up. */
export function formatClock(ms: number): string {
	const total = Math.ceil(ms / 1000);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
	return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
