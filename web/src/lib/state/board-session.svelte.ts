/**
 * The control plane of one board over Socket.io: session state (phase, timer, lock) and votes.
 * Votes are never written into the Y.Doc by clients; they are cast here and the server writes them.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { Role } from '$lib/api';
import { clockOffset } from '$lib/session/countdown';
import { ACK_TIMEOUT_MS, sendCommand, TIMEOUT_ERROR, type BoardCommand, type CommandResult, type ControlSocket } from '$lib/sync/commands';
import { ControlLink, openControlSocket } from '$lib/sync/control-socket';
import type { ErrorBody, SessionState } from '$lib/sync/events';
import { rememberedSession, rememberSession } from '$lib/offline/board-copy';
import { phaseAllows, type ParticipantAction as Action } from '../../../../contract/phases';

export type { ParticipantAction as Action } from '../../../../contract/phases';

/**
 * Why an action is not possible now: the board is locked, the phase forbids it, or (private
 * ideation) board ideas wait while new ones go to the private list.
 */
export type Block = 'locked' | 'phase' | 'private';

export interface BoardSessionEvents {
	/** A refusal or a silent server: shown in the board's live region. */
	error(error: ErrorBody): void;
	/** A facilitator removed this participant from the workshop. */
	removed(info: { message: string; messageEn: string }): void;
}

type TeamListener = (teamName: string | null) => void;

export class BoardSession {
	/** The control plane's link; after a reconnection the board is joined again and its state refreshed. */
	link = $state<ControlLink>(ControlLink.Connecting);
	state = $state<SessionState | null>(null);
	/** Server clock minus ours (ms), measured when each state arrives. */
	clockOffset = $state(0);
	budget = $state<number | null>(null);
	/** Last `remaining` the server acknowledged (the doc's votes map is the live source, except in a blind round). */
	remaining = $state<number | null>(null);
	/** In a blind round before the reveal: this participant's own dots by target (the doc holds no one's). */
	mine = $state<Record<string, number>>({});
	/** Targets with a vote in flight: their buttons wait for the ack. */
	readonly pending = new SvelteSet<string>();
	/** Facilitator commands in flight, by a key the caller picks (one button, one key). */
	readonly commanding = new SvelteSet<string>();

	private socket: ControlSocket;
	private teamListeners: TeamListener[] = [];

	constructor(
		readonly boardId: string,
		readonly role: Role,
		token: string,
		private readonly events: BoardSessionEvents
	) {
		this.socket = openControlSocket(token, (link) => (this.link = link));
		// Opened offline: the session as last seen, so private ideation keeps writing into the private doc.
		this.socket.on('connect_error', () => {
			this.state ??= rememberedSession(boardId);
		});
		this.socket.on('connect', () => this.join());
		this.socket.on('session:state', (s) => {
			if (s.boardId === this.boardId) this.setState(s);
		});
		this.socket.on('board:team', ({ boardId, teamName }) => {
			if (boardId === this.boardId) this.announceTeam(teamName);
		});
		this.socket.on('participant:removed', (info) => this.events.removed(info));
		// Another tab of this person voted in the blind round.
		this.socket.on('votes:mine', ({ boardId, remaining, mine }) => {
			if (boardId !== this.boardId) return;
			this.remaining = remaining;
			this.mine = mine;
		});
	}

	/** A blind round before the reveal: totals are hidden, and own dots come from the server. */
	get ballotsHidden(): boolean {
		const round = this.state?.round;
		return !!round && round.blind && !round.revealed;
	}

	get connected(): boolean {
		return this.link === ControlLink.Online;
	}

	private announceTeam(teamName: string | null): void {
		for (const listener of this.teamListeners) listener(teamName);
	}

	/** The facilitator named the team; returns the unsubscribe. */
	onTeamName(listener: TeamListener): () => void {
		this.teamListeners.push(listener);
		return () => (this.teamListeners = this.teamListeners.filter((l) => l !== listener));
	}

	private setState(s: SessionState): void {
		// A new round starts everyone with their whole budget.
		if (this.state && this.state.round.number !== s.round.number) {
			this.mine = {};
			this.remaining = s.voteBudget;
		}
		this.state = s;
		rememberSession(s);
		this.clockOffset = clockOffset(s.serverNow, Date.now());
		// A new session may set another vote budget; facilitators do not vote.
		if (this.role === 'participant') this.budget = s.voteBudget;
	}

	private async join(): Promise<void> {
		try {
			const res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('board:join', { boardId: this.boardId });
			if (!res.ok) return this.events.error(res.error);
			this.setState(res.state);
			this.budget = res.votes.budget;
			this.remaining = res.votes.remaining;
			this.mine = res.votes.mine ?? {};
			// Also after a reconnect: a rename may have happened while this socket was away.
			this.announceTeam(res.teamName);
		} catch {
			this.events.error(TIMEOUT_ERROR);
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
			if (res.ok) {
				this.remaining = res.remaining;
				if (res.mine) this.mine = res.mine;
			} else this.events.error(res.error);
		} catch {
			this.events.error(TIMEOUT_ERROR);
		} finally {
			this.pending.delete(targetId);
		}
	}

	/** Facilitators: runs a session command; its error (if any) goes to the live region. */
	async command(cmd: BoardCommand, key: string = cmd.action): Promise<CommandResult> {
		this.commanding.add(key);
		try {
			const res = await sendCommand(this.socket, this.boardId, cmd);
			if (res.ok) this.setState(res.state);
			else this.events.error(res.error);
			return res;
		} finally {
			this.commanding.delete(key);
		}
	}

	/** Participants in private ideation write new ideas into their private doc. */
	get privateMode(): boolean {
		const s = this.state;
		return this.role === 'participant' && !!s && s.privateIdeation && s.phase === 'ideacion';
	}

	/** Why this person cannot do `action` now, or null if they can (the server decides anyway). */
	block(action: Action): Block | null {
		if (this.role === 'facilitator') return null;
		const s = this.state;
		if (!s) return null;
		if (s.locked) return 'locked';
		if (action === 'post' && this.privateMode) return 'private';
		return phaseAllows(s.phase, action) ? null : 'phase';
	}

	/**
	 * Whether the current phase and lock let this person do `action`.
	 * Facilitators may always write content, and never vote (votes are the participants' voice).
	 */
	can(action: Action): boolean {
		if (action === 'vote' && (this.role === 'facilitator' || this.budget === 0)) return false;
		return this.block(action) === null;
	}

	destroy(): void {
		this.socket.removeAllListeners();
		this.socket.disconnect();
	}
}
