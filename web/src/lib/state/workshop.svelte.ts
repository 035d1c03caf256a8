/**
 * Access to one workshop from this browser: loads the workshop, finds a token this browser holds
 * for it (facilitator first) and checks it with GET /api/me, or joins as a participant — at once,
 * or after waiting for the facilitator's approval.
 */
import { api, ApiError, type Joined, type Me, type Workshop } from '$lib/api';
import { tokens, type Barred, type WaitEntry } from '$lib/tokens';
import type { Comuna, SectorId } from '$lib/sectors';

export type AccessStatus = 'loading' | 'notFound' | 'error' | 'join' | 'waiting' | 'ready';

/**
 * How often a waiting browser asks for its answer (ms); also at once when the tab or the network
 * comes back. A status read, not a socket: it survives a phone's sleep, a reload and a server restart.
 */
export const JOIN_POLL_MS = 2_000;

const BARRED: readonly string[] = ['DEVICE_REMOVED', 'JOIN_REFUSED'] satisfies Barred[];

export class WorkshopAccess {
	readonly code: string;
	status = $state<AccessStatus>('loading');
	workshop = $state<Workshop | null>(null);
	me = $state<Me | null>(null);
	error = $state<unknown>(null);
	/** This browser was removed from the workshop, or refused: the server will not let it join again. */
	barred = $state<Barred | null>(null);
	/** While waiting for approval: the request and the name it was made with. */
	waiting = $state<WaitEntry | null>(null);
	/** The waiting ended without an answer (the request is gone): ask again. */
	requestLost = $state(false);
	/** Just joined on this page (the form, or the wait, is gone): the workshop's heading takes the focus once. */
	arrived = false;
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(code: string) {
		this.code = code.toUpperCase();
	}

	/** Loads the workshop and resolves who this browser is in it. */
	async load(): Promise<void> {
		this.status = 'loading';
		this.error = null;
		try {
			this.workshop = await api.workshop(this.code);
			this.me = await this.identify();
			this.barred = tokens.barred(this.code);
			this.waiting = this.me ? null : tokens.waiting(this.code);
			this.status = this.me ? 'ready' : this.waiting ? 'waiting' : 'join';
			if (this.waiting) this.listen();
		} catch (e) {
			this.error = e;
			this.status = e instanceof ApiError && e.status === 404 ? 'notFound' : 'error';
		}
	}

	/** The identity behind the best stored token that the server still accepts, or null. */
	private async identify(): Promise<Me | null> {
		const candidates = [tokens.facilitator(this.code), tokens.participant(this.code)?.token];
		for (const token of candidates) {
			if (!token) continue;
			try {
				const me = await api.me(token);
				if (me.workshopCode.toUpperCase() === this.code) return me;
			} catch (e) {
				if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) throw e;
			}
			tokens.forget(this.code, token);
		}
		return null;
	}

	/**
	 * Joins as a participant, or lands on the waiting list when the workshop asks for approval.
	 * Throws ApiError (shown by the form) when the server refuses.
	 */
	async join(body: { name: string; sector: SectorId; comuna: Comuna }): Promise<void> {
		this.requestLost = false;
		let answer;
		try {
			answer = await api.join(this.code, body);
		} catch (e) {
			if (e instanceof ApiError && BARRED.includes(e.code)) this.bar(e.code as Barred);
			else if (e instanceof ApiError && e.code === 'JOINING_CLOSED' && this.workshop) this.workshop = { ...this.workshop, joining: 'closed' };
			throw e;
		}
		if ('token' in answer) return this.enter(answer);
		this.waiting = { requestId: answer.requestId, secret: answer.secret, name: body.name };
		tokens.setWaiting(this.code, this.waiting);
		this.status = 'waiting';
		this.listen();
	}

	private async enter(joined: Joined): Promise<void> {
		this.stopWaiting();
		tokens.setParticipant(this.code, joined);
		this.me = await api.me(joined.token);
		this.arrived = true;
		this.status = 'ready';
	}

	private bar(why: Barred): void {
		tokens.setBarred(this.code, why);
		this.barred = why;
	}

	private listen(): void {
		addEventListener('visibilitychange', this.poll);
		addEventListener('online', this.poll);
		void this.poll();
	}

	private stopWaiting(): void {
		clearTimeout(this.timer);
		removeEventListener('visibilitychange', this.poll);
		removeEventListener('online', this.poll);
		tokens.setWaiting(this.code, null);
		this.waiting = null;
	}

	/** Asks for the facilitator's answer now, then every JOIN_POLL_MS while still waiting. */
	private poll = async (): Promise<void> => {
		clearTimeout(this.timer);
		const waiting = this.waiting;
		if (!waiting || document.visibilityState === 'hidden') return;
		try {
			const answer = await api.joinAnswer(this.code, waiting.requestId, waiting.secret);
			if (this.waiting !== waiting) return;
			if (answer.status === 'approved') return await this.enter(answer);
			if (answer.status === 'refused') {
				this.stopWaiting();
				this.bar('JOIN_REFUSED');
				this.status = 'join';
				return;
			}
		} catch (e) {
			if (this.waiting !== waiting) return;
			if (e instanceof ApiError && e.status === 404) {
				// Replaced by a newer request of this browser, or the workshop's data is gone: ask again.
				this.stopWaiting();
				this.requestLost = true;
				this.status = 'join';
				return;
			}
			// Offline or the server is restarting: keep asking.
		}
		this.timer = setTimeout(this.poll, JOIN_POLL_MS);
	};

	destroy(): void {
		clearTimeout(this.timer);
		removeEventListener('visibilitychange', this.poll);
		removeEventListener('online', this.poll);
	}
}
