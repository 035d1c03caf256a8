/**
 * Access to one workshop from this browser: loads the workshop, finds a token this browser holds
 * for it (facilitator first) and checks it with GET /api/me, or joins as a participant.
 */
import { api, ApiError, type Me, type Workshop } from '$lib/api';
import { tokens } from '$lib/tokens';
import type { Comuna, SectorId } from '$lib/sectors';

export type AccessStatus = 'loading' | 'notFound' | 'error' | 'join' | 'ready';

export class WorkshopAccess {
	readonly code: string;
	status = $state<AccessStatus>('loading');
	workshop = $state<Workshop | null>(null);
	me = $state<Me | null>(null);
	error = $state<unknown>(null);

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
			this.status = this.me ? 'ready' : 'join';
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

	/** Joins as a participant; throws ApiError (shown by the form) when the server refuses. */
	async join(body: { name: string; sector: SectorId; comuna: Comuna }): Promise<void> {
		const joined = await api.join(this.code, body);
		tokens.setParticipant(this.code, joined);
		this.me = await api.me(joined.token);
		this.status = 'ready';
	}
}
