/**
 * The control plane of one board over Socket.io: session state (phase, timer, lock) and votes.
 * Votes are never written into the Y.Doc by clients; they are cast here and the server writes them.
 */
import { io, type Socket } from 'socket.io-client';
import { SvelteSet } from 'svelte/reactivity';
import type { Role } from '$lib/api';
import type { ClientToServerEvents, ErrorBody, ServerToClientEvents, SessionState } from '$lib/sync/events';

/** How long to wait for an acknowledgement before telling the user (ms). */
const ACK_TIMEOUT_MS = 8000;

export type Action = 'post' | 'cluster' | 'vote';

/** Which writes each phase allows a participant (DESIGN.md, Sessions). */
const PHASE_ALLOWS: Record<string, readonly Action[]> = {
	abierto: ['post', 'cluster', 'vote'],
	ideacion: ['post'],
	agrupacion: ['cluster'],
	votacion: ['vote'],
	discusion: [],
	cierre: []
};

const TIMEOUT_ERROR: ErrorBody = {
	code: 'TIMEOUT',
	message: 'El servidor no respondió a tiempo. Inténtalo de nuevo.',
	messageEn: 'The server did not answer in time. Please try again.'
};

export class BoardSession {
	connected = $state(false);
	state = $state<SessionState | null>(null);
	/** Server clock minus ours (ms), to render `endsAt` against `serverNow`. */
	clockOffset = $state(0);
	budget = $state<number | null>(null);
	/** Last `remaining` the server acknowledged (the doc's votes map is the live source). */
	remaining = $state<number | null>(null);
	/** Targets with a vote in flight: their buttons wait for the ack. */
	readonly pending = new SvelteSet<string>();

	private socket: Socket<ServerToClientEvents, ClientToServerEvents>;

	constructor(
		readonly boardId: string,
		readonly role: Role,
		token: string,
		private readonly onError: (error: ErrorBody) => void
	) {
		this.socket = io({ auth: { token } });
		this.socket.on('connect', () => {
			this.connected = true;
			this.join();
		});
		this.socket.on('disconnect', () => (this.connected = false));
		this.socket.on('session:state', (s) => {
			if (s.boardId === this.boardId) this.setState(s);
		});
	}

	private setState(s: SessionState): void {
		this.state = s;
		if (typeof s.serverNow === 'number') this.clockOffset = s.serverNow - Date.now();
	}

	private async join(): Promise<void> {
		try {
			const res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('board:join', { boardId: this.boardId });
			if (!res.ok) return this.onError(res.error);
			this.setState(res.state);
			this.budget = res.votes.budget;
			this.remaining = res.votes.remaining;
		} catch {
			this.onError(TIMEOUT_ERROR);
		}
	}

	/** Casts (+1) or withdraws (−1) a dot; errors go to the board's live region. */
	async cast(targetId: string, delta: 1 | -1): Promise<void> {
		if (this.pending.has(targetId)) return;
		this.pending.add(targetId);
		try {
			const res = await this.socket
				.timeout(ACK_TIMEOUT_MS)
				.emitWithAck('vote:cast', { boardId: this.boardId, targetId, delta });
			if (res.ok) this.remaining = res.remaining;
			else this.onError(res.error);
		} catch {
			this.onError(TIMEOUT_ERROR);
		} finally {
			this.pending.delete(targetId);
		}
	}

	/**
	 * Whether the current phase and lock let this person do `action` (the server decides anyway).
	 * Facilitators may always write content, and never vote (votes are the participants' voice).
	 */
	can(action: Action): boolean {
		if (this.role === 'facilitator') return action !== 'vote';
		const s = this.state;
		if (action === 'vote' && this.budget === 0) return false;
		if (!s) return true;
		if (s.locked) return false;
		if (!s.phase) return true;
		return PHASE_ALLOWS[s.phase]?.includes(action) ?? true;
	}

	destroy(): void {
		this.socket.removeAllListeners();
		this.socket.disconnect();
	}
}
