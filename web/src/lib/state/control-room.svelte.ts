/**
 * The facilitator's control room: every board of a workshop, live, over one Socket.io
 * connection (`workshop:watch`, then `session:state` and `board:stats`), and the commands to run
 * them one by one or all together.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { api } from '$lib/api';
import { clockOffset } from '$lib/session/countdown';
import type { JoinPolicy } from '$lib/api';
import { ACK_TIMEOUT_MS, OFFLINE_ERROR, sendCommand, TIMEOUT_ERROR, type BoardCommand, type CommandResult, type ControlSocket } from '$lib/sync/commands';
import { ControlLink, openControlSocket } from '$lib/sync/control-socket';
import type { BoardStats, ErrorBody, JoiningState, PastRound, SessionState, WaitingPerson } from '$lib/sync/events';

/** The outcome of a command, kept per board for its live region. */
export type Outcome = { kind: 'error'; error: ErrorBody } | { kind: 'done'; action: BoardCommand['action'] };

/** What happened when a command went to several boards at once. */
export interface BulkOutcome {
	action: BoardCommand['action'];
	done: number;
	failed: { boardId: string; error: ErrorBody }[];
	/** Boards where the command made no sense (e.g. pausing a board that is not running). */
	skipped: number;
}

export class ControlRoom {
	/** The control plane's link; after a reconnection the workshop is watched again. */
	link = $state<ControlLink>(ControlLink.Connecting);
	/** The first `workshop:watch` answered: the grid can show. */
	ready = $state(false);
	/** `workshop:watch` was refused (or the token was), with the server's words. */
	error = $state<ErrorBody | null>(null);
	readonly states = new SvelteMap<string, SessionState>();
	/** Server clock minus ours (ms), measured when each board's state arrived. */
	readonly offsets = new SvelteMap<string, number>();
	readonly stats = new SvelteMap<string, BoardStats>();
	/** Boards with a command in flight ('*': a command to all boards). */
	readonly busy = new SvelteSet<string>();
	readonly outcomes = new SvelteMap<string, Outcome>();
	bulk = $state<BulkOutcome | null>(null);
	/** Who may join the workshop, and who is waiting for an answer. */
	joining = $state.raw<JoiningState | null>(null);
	/** The last refusal of a joining command, for the joining panel's live region. */
	joiningError = $state<ErrorBody | null>(null);
	/** Joining commands in flight: 'policy', or a request id. */
	readonly joiningBusy = new SvelteSet<string>();
	/** People who started waiting after the room opened (newest last), to announce them. */
	arrivals = $state.raw<WaitingPerson[]>([]);

	private socket: ControlSocket;

	constructor(private token: string) {
		this.socket = openControlSocket(token, (link) => (this.link = link));
		// Rooms are per connection: watch again after every reconnection.
		this.socket.on('connect', () => this.watch());
		this.socket.on('connect_error', (err) => {
			const data = (err as Error & { data?: ErrorBody }).data;
			if (data?.code) this.error = data;
		});
		this.socket.on('session:state', (s) => this.setState(s));
		this.socket.on('board:stats', (s) => this.stats.set(s.boardId, s));
		this.socket.on('joining:state', (s) => this.setJoining(s));
	}

	private setJoining(next: JoiningState): void {
		const known = new Set(this.joining?.waiting.map((w) => w.id)); // eslint-disable-line svelte/prefer-svelte-reactivity
		const fresh = this.joining ? next.waiting.filter((w) => !known.has(w.id)) : [];
		if (fresh.length > 0) this.arrivals = fresh;
		this.joining = next;
	}

	/** `joining:set` or `joining:decide`; the answer (or the refusal) lands in `joining` / `joiningError`. */
	private async joiningCommand(key: string, send: () => Promise<{ ok: true; joining: JoiningState } | { ok: false; error: ErrorBody }>): Promise<boolean> {
		this.joiningError = null;
		if (!this.socket.connected) {
			this.joiningError = OFFLINE_ERROR;
			return false;
		}
		this.joiningBusy.add(key);
		try {
			const res = await send();
			if (res.ok) this.setJoining(res.joining);
			else this.joiningError = res.error;
			return res.ok;
		} catch {
			this.joiningError = TIMEOUT_ERROR;
			return false;
		} finally {
			this.joiningBusy.delete(key);
		}
	}

	setJoinPolicy(policy: JoinPolicy): Promise<boolean> {
		return this.joiningCommand('policy', () => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('joining:set', { policy }));
	}

	/** Lets a waiting person in (`approve`) or refuses them. */
	decide(requestId: string, approve: boolean): Promise<boolean> {
		return this.joiningCommand(requestId, () => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('joining:decide', { requestId, approve }));
	}

	get connected(): boolean {
		return this.link === ControlLink.Online;
	}

	/**
	 * Replaces the facilitator token with a new one (the old one stops working at once, and the
	 * server closes the sockets that used it); returns the new token. The room reconnects with it.
	 */
	async rotateToken(code: string): Promise<string> {
		const { facilitatorToken } = await api.rotateFacilitatorToken(code, this.token);
		this.token = facilitatorToken;
		this.socket.auth = { token: facilitatorToken };
		this.socket.disconnect().connect();
		return facilitatorToken;
	}

	private setState(s: SessionState): void {
		this.states.set(s.boardId, s);
		this.offsets.set(s.boardId, clockOffset(s.serverNow, Date.now()));
	}

	private async watch(): Promise<void> {
		try {
			const res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('workshop:watch', {});
			if (!res.ok) {
				this.error = res.error;
				return;
			}
			this.error = null;
			for (const s of res.states) this.setState(s);
			for (const s of res.stats) this.stats.set(s.boardId, s);
			this.setJoining(res.joining);
			this.ready = true;
		} catch {
			this.error = TIMEOUT_ERROR;
		}
	}

	/** One board's command; its outcome goes to that board's live region. */
	async command(boardId: string, cmd: BoardCommand): Promise<CommandResult> {
		this.busy.add(boardId);
		this.outcomes.delete(boardId);
		try {
			const res = await sendCommand(this.socket, boardId, cmd);
			if (res.ok) this.setState(res.state);
			this.outcomes.set(boardId, res.ok ? { kind: 'done', action: cmd.action } : { kind: 'error', error: res.error });
			return res;
		} finally {
			this.busy.delete(boardId);
		}
	}

	/** The same command on every board where `applies` says it makes sense, all at once. */
	async all(boardIds: string[], cmd: BoardCommand, applies: (s: SessionState) => boolean = () => true): Promise<BulkOutcome> {
		const targets = boardIds.filter((id) => {
			const s = this.states.get(id);
			return s ? applies(s) : false;
		});
		this.busy.add('*');
		this.bulk = null;
		try {
			const results = await Promise.all(targets.map(async (id) => [id, await this.command(id, cmd)] as const));
			const failed = results.flatMap(([boardId, r]) => (r.ok ? [] : [{ boardId, error: r.error }]));
			this.bulk = { action: cmd.action, done: results.length - failed.length, failed, skipped: boardIds.length - targets.length };
			return this.bulk;
		} finally {
			this.busy.delete('*');
		}
	}

	/** A board's closed voting rounds ("Rondas anteriores"); throws the server's refusal or a timeout. */
	async rounds(boardId: string): Promise<PastRound[]> {
		if (!this.socket.connected) throw OFFLINE_ERROR;
		let res;
		try {
			res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('rounds:list', { boardId });
		} catch {
			throw TIMEOUT_ERROR;
		}
		if (!res.ok) throw res.error;
		return res.rounds;
	}

	isBusy(boardId: string): boolean {
		return this.busy.has(boardId) || this.busy.has('*');
	}

	destroy(): void {
		this.socket.removeAllListeners();
		this.socket.disconnect();
	}
}
