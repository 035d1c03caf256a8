/**
 * Tokens this browser holds, per workshop code (always upper case):
 * `minga:fac:<CODE>` → the facilitator token (a string);
 * `minga:part:<CODE>` → `{ token, participantId }` of the participant who joined here;
 * `minga:wait:<CODE>` → `{ requestId, secret, name }` while this browser waits for approval;
 * `minga:barred:<CODE>` → why this browser may not join again (`DEVICE_REMOVED` or `JOIN_REFUSED`).
 */
export interface ParticipantEntry {
	token: string;
	participantId: string;
}

export type StoredToken = { role: 'facilitator'; token: string } | { role: 'participant'; token: string; participantId: string };

export interface WaitEntry {
	requestId: string;
	secret: string;
	name: string;
}

import type { JoinRefusalCode } from '$lib/api';

/** The refusals that bar this browser for good (the server remembers them too, by its device cookie). */
export type Barred = Extract<JoinRefusalCode, 'DEVICE_REMOVED' | 'JOIN_REFUSED'>;

const facKey = (code: string) => `minga:fac:${code.toUpperCase()}`;
const partKey = (code: string) => `minga:part:${code.toUpperCase()}`;
const waitKey = (code: string) => `minga:wait:${code.toUpperCase()}`;
const barredKey = (code: string) => `minga:barred:${code.toUpperCase()}`;

function read(key: string): string | null {
	try {
		return localStorage.getItem(key);
	} catch {
		return null; // storage disabled (private mode, policy): behave as a fresh browser
	}
}

function write(key: string, value: string | null): void {
	try {
		if (value === null) localStorage.removeItem(key);
		else localStorage.setItem(key, value);
	} catch {
		// nothing to do: the user will have to join again next time
	}
}

export const tokens = {
	facilitator: (code: string): string | null => read(facKey(code)) || null,
	/** The codes of every workshop this browser holds a facilitator token for. */
	facilitatorCodes(): string[] {
		const prefix = facKey('');
		try {
			return Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i))
				.filter((k): k is string => k?.startsWith(prefix) === true)
				.map((k) => k.slice(prefix.length));
		} catch {
			return [];
		}
	},
	participant(code: string): ParticipantEntry | null {
		const raw = read(partKey(code));
		if (!raw) return null;
		try {
			const v = JSON.parse(raw) as Partial<ParticipantEntry>;
			return typeof v.token === 'string' && typeof v.participantId === 'string'
				? { token: v.token, participantId: v.participantId }
				: null;
		} catch {
			return null;
		}
	},
	/** The token to use for a workshop: the facilitator's wins over the participant's. */
	best(code: string): StoredToken | null {
		const fac = tokens.facilitator(code);
		if (fac) return { role: 'facilitator', token: fac };
		const part = tokens.participant(code);
		return part ? { role: 'participant', ...part } : null;
	},
	waiting(code: string): WaitEntry | null {
		try {
			const v = JSON.parse(read(waitKey(code)) ?? 'null') as Partial<WaitEntry> | null;
			return typeof v?.requestId === 'string' && typeof v.secret === 'string' ? { requestId: v.requestId, secret: v.secret, name: String(v.name ?? '') } : null;
		} catch {
			return null;
		}
	},
	setWaiting: (code: string, entry: WaitEntry | null) => write(waitKey(code), entry && JSON.stringify(entry)),
	/** Remembered so the join page says why at once, instead of a form the server would refuse. */
	barred(code: string): Barred | null {
		const v = read(barredKey(code));
		return v === 'DEVICE_REMOVED' || v === 'JOIN_REFUSED' ? v : null;
	},
	setBarred: (code: string, why: Barred) => write(barredKey(code), why),
	setFacilitator: (code: string, token: string) => write(facKey(code), token),
	setParticipant: (code: string, entry: ParticipantEntry) => write(partKey(code), JSON.stringify(entry)),
	/** Forget every token and pending request of a workshop ("salir y borrar"). */
	forgetWorkshop(code: string): void {
		for (const key of [facKey(code), partKey(code), waitKey(code)]) write(key, null);
	},
	/** Forget a token the server no longer accepts. */
	forget(code: string, token: string): void {
		if (tokens.facilitator(code) === token) write(facKey(code), null);
		if (tokens.participant(code)?.token === token) write(partKey(code), null);
	}
};

/** Join codes are 6 letters or digits; users may type them in lower case or with spaces. */
export const normaliseCode = (raw: string) => raw.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6);

/** The facilitator's link: the token travels in the fragment, which never reaches the server. */
export const facilitatorLink = (joinUrl: string, token: string) => `${joinUrl}/facilitar#${token}`;
